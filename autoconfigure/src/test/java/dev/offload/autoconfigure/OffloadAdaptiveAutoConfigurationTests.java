/*
 * Copyright 2026 the Offload authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.offload.autoconfigure;

import java.security.Principal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.OffloadConfigurationException;
import dev.offload.actuate.OffloadEndpoint;
import dev.offload.actuate.OffloadEndpoint.PlatformExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.VirtualExecutorDescriptor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Adaptive executors built from {@code offload.executors.<name>.adaptive.*}: what is
 * built, every refusal at startup with its message, the {@code offload.limit} gauge, and
 * the endpoint's fields and write operation.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadAdaptiveAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class));

	@Test
	void adaptivePoolStartsAtItsInitialLimitWithTheDefaults() {
		this.contextRunner.withPropertyValues("offload.executors.db.adaptive.enabled=true").run((context) -> {
			OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("db");
			assertThat(executor).isInstanceOf(PlatformOffloadExecutor.class);
			CallLimiter limiter = executor.getLimiter();
			assertThat(limiter).isNotNull();
			assertThat(limiter.getAlgorithm()).isEqualTo("vegas");
			assertThat(limiter.getLimit()).isEqualTo(20);
			assertThat(limiter.getMinLimit()).isEqualTo(1);
			assertThat(limiter.getMaxLimit()).isEqualTo(200);
			PlatformOffloadExecutor pool = (PlatformOffloadExecutor) executor;
			assertThat(pool.getCoreSize()).isEqualTo(20);
			assertThat(pool.getMaxSize()).isEqualTo(20);
			assertThat(pool.getQueueCapacity()).isEqualTo(1000);
			assertThat(context.getBean(OffloadExecutors.class).get("default").getLimiter()).isNull();
		});
	}

	@Test
	void adaptivePoolTakesItsSettings() {
		this.contextRunner
			.withPropertyValues("offload.executors.db.adaptive.enabled=true",
					"offload.executors.db.adaptive.algorithm=AIMD", "offload.executors.db.adaptive.initial-limit=5",
					"offload.executors.db.adaptive.min-limit=2", "offload.executors.db.adaptive.max-limit=8",
					"offload.executors.db.queue-capacity=7")
			.run((context) -> {
				PlatformOffloadExecutor pool = (PlatformOffloadExecutor) context.getBean(OffloadExecutors.class)
					.get("db");
				CallLimiter limiter = pool.getLimiter();
				assertThat(limiter).isNotNull();
				assertThat(limiter.getAlgorithm()).isEqualTo("aimd");
				assertThat(limiter.getLimit()).isEqualTo(5);
				assertThat(limiter.getMinLimit()).isEqualTo(2);
				assertThat(limiter.getMaxLimit()).isEqualTo(8);
				assertThat(pool.getMaxSize()).isEqualTo(5);
				assertThat(pool.getQueueCapacity()).isEqualTo(7);
			});
	}

	@Test
	void defaultInitialLimitStaysWithinTheBounds() {
		this.contextRunner
			.withPropertyValues("offload.executors.db.adaptive.enabled=true",
					"offload.executors.db.adaptive.max-limit=8", "offload.executors.low.adaptive.enabled=true",
					"offload.executors.low.adaptive.min-limit=30")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				assertThat(executors.get("db").getLimiter().getLimit()).isEqualTo(8);
				assertThat(executors.get("low").getLimiter().getLimit()).isEqualTo(30);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void adaptiveVirtualExecutorHasPermitsOfItsLimit() {
		this.contextRunner
			.withPropertyValues("offload.executors.http.virtual=true", "offload.executors.http.adaptive.enabled=true",
					"offload.executors.http.adaptive.initial-limit=12")
			.run((context) -> {
				VirtualOffloadExecutor executor = (VirtualOffloadExecutor) context.getBean(OffloadExecutors.class)
					.get("http");
				assertThat(executor.isLimited()).isTrue();
				assertThat(executor.getMaxConcurrency()).isEqualTo(12);
				assertThat(executor.getLimiter().getLimit()).isEqualTo(12);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void executorMadeVirtualBySpringIsAdaptiveToo() {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.http.adaptive.enabled=true")
			.run((context) -> {
				VirtualOffloadExecutor executor = (VirtualOffloadExecutor) context.getBean(OffloadExecutors.class)
					.get("http");
				assertThat(executor.getMaxConcurrency()).isEqualTo(20);
				assertThat(executor.getLimiter()).isNotNull();
			});
	}

	@Test
	void minLimitAboveMaxLimitIsRefused() {
		assertRefused("min-limit=10", "max-limit=5", "offload.executors.db.adaptive.min-limit",
				"it is 10, above max-limit (5).",
				"Set offload.executors.db.adaptive.min-limit to at most max-limit, or raise "
						+ "offload.executors.db.adaptive.max-limit.");
	}

	@Test
	void initialLimitOutsideTheBoundsIsRefused() {
		assertRefused("initial-limit=50", "max-limit=40", "offload.executors.db.adaptive.initial-limit",
				"it is 50, outside [min-limit, max-limit] = [1, 40].",
				"Set offload.executors.db.adaptive.initial-limit between 1 and 40, or widen "
						+ "offload.executors.db.adaptive.min-limit and max-limit.");
		assertRefused("initial-limit=2", "min-limit=3", "offload.executors.db.adaptive.initial-limit",
				"it is 2, outside [min-limit, max-limit] = [3, 200].", null);
	}

	@Test
	void limitBelowOneIsRefused() {
		assertRefused("min-limit=0", "max-limit=5", "offload.executors.db.adaptive.min-limit",
				"it is 0, but it must be 1 or more.", null);
		assertRefused("max-limit=0", "min-limit=1", "offload.executors.db.adaptive.max-limit",
				"it is 0, but it must be 1 or more.", null);
		assertRefused("initial-limit=0", "min-limit=1", "offload.executors.db.adaptive.initial-limit",
				"it is 0, but it must be 1 or more.", null);
	}

	@Test
	void unknownAlgorithmIsRefused() {
		assertRefused("algorithm=cubic", "enabled=true", "offload.executors.db.adaptive.algorithm",
				"it is 'cubic', which is not an algorithm Offload knows.",
				"Set offload.executors.db.adaptive.algorithm to one of: vegas, gradient2, aimd, or remove it to use "
						+ "the default (vegas).");
	}

	@Test
	void dropExceptionThatIsNoThrowableIsRefused() {
		assertRefused("drop-exceptions=java.util.concurrent.TimeoutException,com.example.Missing", "enabled=true",
				"offload.executors.db.adaptive.drop-exceptions",
				"'com.example.Missing' is not a class on the classpath.",
				"Set offload.executors.db.adaptive.drop-exceptions to fully qualified names of exception classes on "
						+ "the classpath, or remove it to use the defaults.");
	}

	@Test
	void fixedSizesWithAdaptiveAreRefused() {
		for (String key : new String[] { "core-size", "max-size", "max-concurrency" }) {
			this.contextRunner
				.withPropertyValues("offload.executors.db.adaptive.enabled=true", "offload.executors.db." + key + "=4")
				.run((context) -> {
					OffloadConfigurationException ex = startupFailure(context);
					assertThat(ex.getDescription()).isEqualTo("Invalid offload setting 'offload.executors.db." + key
							+ "': executor 'db' is adaptive (adaptive.enabled=true): its concurrency follows its "
							+ "limit, but the fixed size " + key + " is set as well.");
					assertThat(ex.getAction()).isEqualTo("Remove " + key
							+ " and bound the limit with offload.executors.db.adaptive.min-limit and "
							+ "adaptive.max-limit, or set offload.executors.db.adaptive.enabled=false to keep fixed "
							+ "sizes.");
				});
		}
	}

	@Test
	void adaptiveOnABeanExecutorIsRefused() {
		this.contextRunner.withUserConfiguration(ReportExecutorConfiguration.class)
			.withPropertyValues("offload.executors.reports.bean=reportExecutor",
					"offload.executors.reports.adaptive.enabled=true")
			.run((context) -> {
				OffloadConfigurationException ex = startupFailure(context);
				assertThat(ex.getDescription())
					.isEqualTo("Invalid offload setting 'offload.executors.reports.adaptive.enabled': executor "
							+ "'reports' runs calls on the application's Executor bean 'reportExecutor', whose size "
							+ "is its owner's, so it cannot follow an adaptive limit.");
				assertThat(ex.getAction()).isEqualTo("Remove offload.executors.reports.adaptive.enabled, or remove "
						+ "offload.executors.reports.bean to let Offload build a pool that adapts.");
			});
	}

	@Test
	void adaptiveWithoutConcurrencyLimitsIsRefusedNamingTheDependency() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.netflix.concurrency.limits"))
			.withPropertyValues("offload.executors.db.adaptive.enabled=true")
			.run((context) -> {
				OffloadConfigurationException ex = startupFailure(context);
				assertThat(ex.getDescription())
					.isEqualTo("Invalid offload setting 'offload.executors.db.adaptive.enabled': an adaptive limit "
							+ "runs the algorithms of Netflix's concurrency-limits, which is not on the classpath.");
				assertThat(ex.getAction()).isEqualTo(
						"Add the dependency com.netflix.concurrency-limits:concurrency-limits-core (0.5.4 or later) "
								+ "to the application, or remove offload.executors.db.adaptive.enabled to keep fixed "
								+ "sizes.");
			});
	}

	@Test
	void withoutConcurrencyLimitsFixedExecutorsWorkAsBefore() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("com.netflix.concurrency.limits"))
			.withPropertyValues("offload.executors.db.core-size=2", "offload.executors.db.adaptive.max-limit=5")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("db");
				assertThat(executor.getLimiter()).isNull();
				assertThat(context.getBean(dev.offload.Offloader.class).executor("db").call(() -> "ran").get())
					.isEqualTo("ran");
			});
	}

	@Test
	void limitGaugeOfEachAdaptiveExecutor() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(OffloadMetricsAutoConfiguration.class))
			.withConfiguration(MetricsAutoConfigurations.registry())
			.withPropertyValues("offload.executors.db.adaptive.enabled=true",
					"offload.executors.db.adaptive.initial-limit=7", "offload.executors.jdbc.core-size=2")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Gauge gauge = registry.get(OffloadMetrics.LIMIT).tag("executor", "db").gauge();
				assertThat(gauge.value()).isEqualTo(7.0);
				assertThat(gauge.getId().getDescription()).startsWith("The current concurrency limit");
				context.getBean(OffloadExecutors.class).get("db").getLimiter().setBounds(1, 3);
				assertThat(gauge.value()).isEqualTo(3.0);
				assertThat(registry.find(OffloadMetrics.LIMIT).gauges()).hasSize(1);
			});
	}

	@Test
	void endpointShowsTheLimitAndTakesNewBounds(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(OffloadEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=offload",
					"offload.executors.db.adaptive.enabled=true", "offload.executors.db.adaptive.initial-limit=6",
					"offload.executors.db.adaptive.max-limit=10", "offload.executors.db.queue-capacity=50")
			.run((context) -> {
				OffloadEndpoint endpoint = context.getBean(OffloadEndpoint.class);
				PlatformExecutorDescriptor db = (PlatformExecutorDescriptor) endpoint.offload().executors().get("db");
				assertThat(db.adaptive()).isTrue();
				assertThat(db.limit()).isEqualTo(6);
				assertThat(db.minLimit()).isEqualTo(1);
				assertThat(db.maxLimit()).isEqualTo(10);
				assertThat(db.algorithm()).isEqualTo("vegas");
				assertThat(db.maxSize()).isEqualTo(6);
				PlatformExecutorDescriptor fixed = (PlatformExecutorDescriptor) endpoint.offload()
					.executors()
					.get("default");
				assertThat(fixed.adaptive()).isFalse();
				assertThat(fixed.limit()).isNull();

				PlatformExecutorDescriptor resized = (PlatformExecutorDescriptor) endpoint.resize("db", null, null, 80,
						null, null, 8, 20, ALICE);
				assertThat(resized.minLimit()).isEqualTo(8);
				assertThat(resized.maxLimit()).isEqualTo(20);
				assertThat(resized.limit()).isEqualTo(8);
				assertThat(resized.maxSize()).isEqualTo(8);
				assertThat(resized.queueCapacity()).isEqualTo(80);
				assertThat(output.getOut()).contains("Offload executor 'db' resized by alice: queue-capacity 50 -> 80, "
						+ "adaptive.min-limit 1 -> 8, adaptive.max-limit 10 -> 20, limit 6 -> 8");

				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.resize("db", 4, null, null, null, null, null, null, ALICE))
					.withMessageStartingWith(
							"Invalid offload setting 'offload.executors.db.core-size': executor 'db' " + "is adaptive");
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.resize("db", null, null, null, null, null, 30, null, ALICE))
					.withMessageStartingWith("Invalid offload setting 'offload.executors.db.adaptive.min-limit': it is "
							+ "30, above max-limit (20).");
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.resize("db", null, null, null, null, null, 0, null, ALICE))
					.withMessageStartingWith("Invalid offload setting 'offload.executors.db.adaptive.min-limit': it is "
							+ "0, but it must be 1 or more.");
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.resize("default", null, null, null, null, null, null, 5, ALICE))
					.withMessageStartingWith("Invalid offload setting 'offload.executors.default.adaptive.max-limit': "
							+ "executor 'default' has fixed sizes (adaptive.enabled is not true)");
				CallLimiter limiter = context.getBean(OffloadExecutors.class).get("db").getLimiter();
				assertThat(limiter.getMinLimit()).as("refused requests change nothing").isEqualTo(8);
				assertThat(limiter.getMaxLimit()).isEqualTo(20);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void endpointShowsAVirtualExecutorsLimit() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(OffloadEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=offload",
					"offload.executors.http.virtual=true", "offload.executors.http.adaptive.enabled=true",
					"offload.executors.http.adaptive.initial-limit=9")
			.run((context) -> {
				OffloadEndpoint endpoint = context.getBean(OffloadEndpoint.class);
				VirtualExecutorDescriptor http = (VirtualExecutorDescriptor) endpoint.offload().executors().get("http");
				assertThat(http.adaptive()).isTrue();
				assertThat(http.limit()).isEqualTo(9);
				assertThat(http.maxConcurrency()).isNull();
				VirtualExecutorDescriptor resized = (VirtualExecutorDescriptor) endpoint.resize("http", null, null, 5,
						null, null, null, 4, ALICE);
				assertThat(resized.limit()).isEqualTo(4);
				assertThat(resized.queueCapacity()).isEqualTo(5);
			});
	}

	private static final SecurityContext ALICE = new SecurityContext() {

		@Override
		public Principal getPrincipal() {
			return () -> "alice";
		}

		@Override
		public boolean isUserInRole(String role) {
			return false;
		}

	};

	private void assertRefused(String first, String second, String key, String description, @Nullable String action) {
		this.contextRunner
			.withPropertyValues("offload.executors.db.adaptive.enabled=true", "offload.executors.db.adaptive." + first,
					"offload.executors.db.adaptive." + second)
			.run((context) -> {
				OffloadConfigurationException ex = startupFailure(context);
				assertThat(ex.getDescription()).isEqualTo("Invalid offload setting '" + key + "': " + description);
				if (action != null) {
					assertThat(ex.getAction()).isEqualTo(action);
				}
			});
	}

	private static OffloadConfigurationException startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable candidate = context.getStartupFailure();
		while (candidate != null && !(candidate instanceof OffloadConfigurationException)) {
			candidate = candidate.getCause();
		}
		assertThat(candidate).as("an OffloadConfigurationException in %s", context.getStartupFailure()).isNotNull();
		return (OffloadConfigurationException) candidate;
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportExecutorConfiguration {

		@Bean
		ThreadPoolTaskExecutor reportExecutor() {
			return new ThreadPoolTaskExecutor();
		}

	}

}
