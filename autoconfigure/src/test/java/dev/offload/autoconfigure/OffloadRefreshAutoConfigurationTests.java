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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;

import dev.offload.Offloader;
import dev.offload.actuate.OffloadEndpoint;
import dev.offload.actuate.OffloadEndpoint.ExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.OffloadDescriptor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.reconfigure.ReconfigurationStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadRefreshAutoConfiguration}: a Spring Cloud configuration refresh
 * (an {@link EnvironmentChangeEvent} after the environment changed, with Spring Cloud's
 * own rebinder present as in an application) resizes the executors while they run.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadRefreshAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class,
				ConfigurationPropertiesRebinderAutoConfiguration.class, OffloadAutoConfiguration.class,
				OffloadRefreshAutoConfiguration.class, OffloadEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=offload", "offload.executors.io.core-size=2",
				"offload.executors.io.max-size=2", "offload.executors.io.queue-capacity=10",
				"offload.executors.io.timeout=5s");

	@Test
	void platformSizesQueueAndTimeoutChangeOnRefresh(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			PlatformOffloadExecutor io = platform(context, "io");
			assertThat(concurrentCalls(context, "io", 6)).as("calls running at once before").isEqualTo(2);
			refresh(context, "offload.executors.io.core-size=6", "offload.executors.io.max-size=8",
					"offload.executors.io.queue-capacity=20", "offload.executors.io.timeout=3s");
			assertThat(io.getCoreSize()).isEqualTo(6);
			assertThat(io.getMaxSize()).isEqualTo(8);
			assertThat(io.getQueueCapacity()).isEqualTo(20);
			assertThat(Duration.ofNanos(io.getTimeoutNanos())).isEqualTo(Duration.ofSeconds(3));
			assertThat(concurrentCalls(context, "io", 6)).as("calls running at once after").isEqualTo(6);
			assertThat(output).contains("Offload executor 'io' resized by configuration refresh: core-size 2 -> 6, "
					+ "max-size 2 -> 8, queue-capacity 10 -> 20, timeout PT5S -> PT3S");
			assertThat(descriptor(context, "io").refreshError()).isNull();
		});
	}

	@Test
	void onlyTheKeysThatChangedAreApplied(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			refresh(context, "offload.executors.io.queue-capacity=30");
			assertThat(output)
				.contains("Offload executor 'io' resized by configuration refresh: queue-capacity 10 -> 30")
				.doesNotContain("core-size 2 -> 2");
			assertThat(platform(context, "io").getCoreSize()).isEqualTo(2);
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualConcurrencyAndQueueChangeOnRefresh(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("offload.executors.http.virtual=true", "offload.executors.http.max-concurrency=2",
					"offload.executors.http.queue-capacity=10")
			.run((context) -> {
				VirtualOffloadExecutor http = (VirtualOffloadExecutor) executor(context, "http");
				assertThat(concurrentCalls(context, "http", 5)).isEqualTo(2);
				refresh(context, "offload.executors.http.max-concurrency=5", "offload.executors.http.queue-capacity=3");
				assertThat(http.getMaxConcurrency()).isEqualTo(5);
				assertThat(http.getQueueCapacity()).isEqualTo(3);
				assertThat(concurrentCalls(context, "http", 5)).isEqualTo(5);
				assertThat(output).contains("Offload executor 'http' resized by configuration refresh: "
						+ "max-concurrency 2 -> 5, queue-capacity 10 -> 3");
			});
	}

	@Test
	void adaptiveBoundsChangeOnRefresh(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("offload.executors.legacy.adaptive.enabled=true",
					"offload.executors.legacy.adaptive.max-limit=50")
			.run((context) -> {
				CallLimiter limiter = executor(context, "legacy").getLimiter();
				assertThat(limiter).isNotNull();
				refresh(context, "offload.executors.legacy.adaptive.min-limit=4",
						"offload.executors.legacy.adaptive.max-limit=8");
				assertThat(limiter.getMinLimit()).isEqualTo(4);
				assertThat(limiter.getMaxLimit()).isEqualTo(8);
				assertThat(limiter.getLimit()).as("clamped into the new bounds").isEqualTo(8);
				assertThat(output).contains("Offload executor 'legacy' resized by configuration refresh: "
						+ "adaptive.min-limit 1 -> 4, adaptive.max-limit 50 -> 8, limit 20 -> 8");
			});
	}

	@Test
	void keyThatOnlyARestartAppliesIsWarnedAndPendingWhileTheOthersApply(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			refresh(context, "offload.executors.io.thread-name-prefix=reports-", "offload.executors.io.core-size=3",
					"offload.executors.io.max-size=3");
			assertThat(output).contains("Offload executor 'io': offload.executors.io.thread-name-prefix=reports- "
					+ "changed by configuration refresh, but cannot change while the application runs: a restart "
					+ "applies it.");
			assertThat(descriptor(context, "io").pendingRestart())
				.containsExactly(Map.entry("offload.executors.io.thread-name-prefix", "reports-"));
			assertThat(platform(context, "io").getCoreSize()).isEqualTo(3);
			String worker = context.getBean(Offloader.class)
				.executor("io")
				.call(() -> Thread.currentThread().getName())
				.get(5, TimeUnit.SECONDS);
			assertThat(worker).startsWith("offload-io-");
			refresh(context, "offload.executors.io.core-size=4");
			assertThat(output.getOut().split("thread-name-prefix=reports-", -1)).as("warned once").hasSize(2);
		});
	}

	@Test
	void revertedKeyIsNoLongerPending() {
		this.contextRunner.withPropertyValues("offload.executors.io.virtual=false").run((context) -> {
			refresh(context, "offload.executors.io.keep-alive=5s");
			assertThat(descriptor(context, "io").pendingRestart()).containsOnlyKeys("offload.executors.io.keep-alive");
			refresh(context, "offload.executors.io.keep-alive=");
			assertThat(descriptor(context, "io").pendingRestart()).isNull();
		});
	}

	@Test
	void invalidValueLeavesTheExecutorAsItWasAndIsReportedUntilAValidRefresh(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			PlatformOffloadExecutor io = platform(context, "io");
			refresh(context, "offload.executors.io.core-size=6", "offload.executors.io.max-size=4",
					"offload.executors.io.queue-capacity=50");
			assertThat(io.getCoreSize()).isEqualTo(2);
			assertThat(io.getMaxSize()).isEqualTo(2);
			assertThat(io.getQueueCapacity()).as("no half change").isEqualTo(10);
			String error = descriptor(context, "io").refreshError();
			assertThat(error).startsWith("Invalid offload setting 'offload.executors.io.max-size': ")
				.contains("Set offload.executors.io.max-size to at least");
			assertThat(output).contains(
					"Offload executor 'io' keeps its settings: the refreshed configuration is " + "refused. " + error);
			assertThat(concurrentCalls(context, "io", 3)).isEqualTo(2);
			refresh(context, "offload.executors.io.max-size=8");
			assertThat(io.getCoreSize()).isEqualTo(6);
			assertThat(io.getMaxSize()).isEqualTo(8);
			assertThat(io.getQueueCapacity()).isEqualTo(50);
			assertThat(descriptor(context, "io").refreshError()).isNull();
		});
	}

	@Test
	void valueThatDoesNotBindChangesNothingAndIsReported(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			try {
				refresh(context, "offload.executors.io.core-size=lots", "offload.executors.io.queue-capacity=50");
			}
			catch (RuntimeException ex) {
				// Spring Cloud's own rebinding of Offload's properties fails too, after
				// Offload's listener: its refresh reports it (a 500 from
				// /actuator/refresh).
				assertThat(ex).hasStackTraceContaining("offload.executors.io.core-size");
			}
			assertThat(platform(context, "io").getQueueCapacity()).isEqualTo(10);
			assertThat(descriptor(context, "io").refreshError())
				.startsWith("Invalid offload setting 'offload.executors.io.core-size': ")
				.contains("lots");
			assertThat(output).contains(
					"Offload keeps the settings of its executors: the refreshed configuration " + "does not bind.");
		});
	}

	@Test
	void actuatorChangeStaysUntilTheConfigurationOfThatKeyChanges() {
		this.contextRunner.run((context) -> {
			OffloadEndpoint endpoint = context.getBean(OffloadEndpoint.class);
			endpoint.resize("io", 10, 12, null, null, null, null, null, SecurityContext.NONE);
			refresh(context, "offload.executors.io.timeout=2s");
			PlatformOffloadExecutor io = platform(context, "io");
			assertThat(io.getCoreSize()).as("the Actuator's, kept").isEqualTo(10);
			assertThat(Duration.ofNanos(io.getTimeoutNanos())).isEqualTo(Duration.ofSeconds(2));
			refresh(context, "offload.executors.io.core-size=1");
			assertThat(io.getCoreSize()).as("the configuration's, later").isEqualTo(1);
			assertThat(io.getMaxSize()).as("the Actuator's, still").isEqualTo(12);
		});
	}

	@Test
	void newAndRemovedExecutorsWaitForARestart(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			TestPropertyValues
				.of("offload.executors.io.core-size", "offload.executors.io.max-size",
						"offload.executors.io.queue-capacity", "offload.executors.io.timeout")
				.applyTo(source(context));
			refresh(context, "offload.executors.reports.core-size=2");
			OffloadDescriptor offload = context.getBean(OffloadEndpoint.class).offload();
			assertThat(offload.pendingRestart())
				.containsExactly(Map.entry("offload.executors.reports", "(new: a restart starts this executor)"));
			assertThat(offload.executors().get("io").pendingRestart())
				.containsExactly(Map.entry("offload.executors.io", "(removed: a restart stops this executor)"));
			assertThat(context.getBean(OffloadExecutors.class).find("reports")).isNull();
			assertThat(platform(context, "io").getCoreSize()).isEqualTo(2);
		});
	}

	@Test
	void eventWithoutAnOffloadKeyChangesNothing() {
		this.contextRunner.run((context) -> {
			TestPropertyValues.of("offload.executors.io.core-size=5", "offload.executors.io.max-size=5")
				.applyTo(source(context));
			source(context).publishEvent(new EnvironmentChangeEvent(source(context), Set.of("app.greeting")));
			assertThat(platform(context, "io").getCoreSize()).isEqualTo(2);
			refresh(context, "OFFLOAD_EXECUTORS_IO_QUEUECAPACITY=12");
			assertThat(platform(context, "io").getCoreSize()).as("any form of an offload key").isEqualTo(5);
		});
	}

	@Test
	void timeoutOfAnExecutorGivenByBeanChangesOnRefresh() {
		this.contextRunner.withBean("reportExecutor", java.util.concurrent.Executor.class, () -> Runnable::run)
			.withPropertyValues("offload.executors.reports.bean=reportExecutor")
			.run((context) -> {
				refresh(context, "offload.executors.reports.timeout=750ms");
				assertThat(Duration.ofNanos(executor(context, "reports").getTimeoutNanos()))
					.isEqualTo(Duration.ofMillis(750));
				assertThat(descriptor(context, "reports").refreshError()).isNull();
			});
	}

	@Test
	void backsOffWithoutSpringCloud() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
			.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class,
					OffloadRefreshAutoConfiguration.class, OffloadEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=offload")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ReconfigurationStatus.class);
				assertThat(context.getBean(OffloadEndpoint.class).offload().executors()).containsKey("default");
			});
	}

	/**
	 * What Spring Cloud's {@code ContextRefresher} does: changes the environment, then
	 * publishes an {@link EnvironmentChangeEvent} with the keys that changed.
	 */
	static void refresh(AssertableApplicationContext context, String... properties) {
		ConfigurableApplicationContext source = source(context);
		TestPropertyValues.of(properties).applyTo(source);
		Set<String> keys = Arrays.stream(properties)
			.map((property) -> property.substring(0, property.indexOf('=')))
			.collect(Collectors.toSet());
		source.publishEvent(new EnvironmentChangeEvent(source, keys));
	}

	private static ConfigurableApplicationContext source(AssertableApplicationContext context) {
		return context.getSourceApplicationContext();
	}

	private static OffloadExecutor executor(AssertableApplicationContext context, String name) {
		OffloadExecutor executor = context.getBean(OffloadExecutors.class).find(name);
		assertThat(executor).as(name).isNotNull();
		return executor;
	}

	private static PlatformOffloadExecutor platform(AssertableApplicationContext context, String name) {
		return (PlatformOffloadExecutor) executor(context, name);
	}

	private static ExecutorDescriptor descriptor(AssertableApplicationContext context, String name) {
		return context.getBean(OffloadEndpoint.class).offload().executors().get(name);
	}

	/**
	 * How many of the given number of calls run at once: each waits until all have
	 * started or 1 s has passed; those that started by then are counted.
	 */
	private static int concurrentCalls(AssertableApplicationContext context, String executor, int calls)
			throws Exception {
		CountDownLatch started = new CountDownLatch(calls);
		CountDownLatch release = new CountDownLatch(1);
		Offloader offloader = context.getBean(Offloader.class).executor(executor);
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			futures.add(offloader.run(() -> {
				started.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		started.await(1, TimeUnit.SECONDS);
		int running = (int) (calls - started.getCount());
		release.countDown();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		return running;
	}

}
