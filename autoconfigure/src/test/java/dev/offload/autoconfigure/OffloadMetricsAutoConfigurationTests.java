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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.Offload;
import dev.offload.Offloader;
import dev.offload.executor.BlockingBody;
import dev.offload.executor.OffloadExecutors;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadMetricsAutoConfiguration}.
 */
class OffloadMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
		.withConfiguration(MetricsAutoConfigurations.registry());

	@Test
	void failingFireAndForgetMethodIsCountedAsAnError() {
		this.contextRunner.withBean(FireAndForget.class).run((context) -> {
			context.getBean(FireAndForget.class).fail();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// The timers of a site exist from its first call on; wait for the count, not
			// the timer.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> registry.find(OffloadMetrics.CALLS)
					.tags("executor", "default", "class", FireAndForget.class.getName(), "method", "fail", "outcome",
							"error")
					.timers()
					.stream()
					.mapToLong(io.micrometer.core.instrument.Timer::count)
					.sum() == 1);
			assertThat(registry.get(OffloadMetrics.CALLS)
				.tags("class", FireAndForget.class.getName(), "outcome", "success")
				.timer()
				.count()).isZero();
		});
	}

	@Test
	void metersAreBoundToTheApplicationsRegistry() {
		this.contextRunner.withPropertyValues("offload.executors.jdbc.core-size=2").run((context) -> {
			assertThat(context).hasSingleBean(OffloadMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("executor.pool.core").tag("name", "offload.jdbc").gauge().value()).isEqualTo(2);
			assertThat(registry.get("offload.wait").timers()).hasSize(2);
			Offloader offloader = context.getBean(Offloader.class);
			// The gauges read the executor's own pool: one blocked call is one active
			// thread.
			CountDownLatch release = new CountDownLatch(1);
			BlockingBody body = BlockingBody.until(release);
			CompletableFuture<String> blocked = offloader.call(body);
			assertThat(body.awaitStarted()).isTrue();
			assertThat(registry.get("executor.active").tag("name", "offload.default").gauge().value()).isEqualTo(1);
			assertThat(registry.get("executor.active").tag("name", "offload.jdbc").gauge().value()).isZero();
			release.countDown();
			assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("done");
			assertThat(offloader.executor("jdbc").call(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
			assertThat(registry.get("offload.calls")
				.tags("executor", "jdbc", "class", "dev.offload.Offloader", "method", "call", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void distributionsAreConfiguredWithBootsProperties() {
		this.contextRunner
			.withPropertyValues("management.metrics.distribution.percentiles.offload.calls=0.99",
					"management.metrics.distribution.slo.offload.wait=10ms,100ms")
			.run((context) -> {
				context.getBean(Offloader.class).call(() -> "ok").get(5, TimeUnit.SECONDS);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("offload.calls")
					.tag("outcome", "success")
					.timer()
					.takeSnapshot()
					.percentileValues()).hasSize(1);
				assertThat(registry.get("offload.wait").timer().takeSnapshot().histogramCounts()).hasSize(2);
			});
	}

	@Test
	void userDefinedRegistryIsUsed() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(OffloadMetrics.class);
			context.getBean(Offloader.class).call(() -> "ok").get(5, TimeUnit.SECONDS);
			assertThat(context.getBean("myRegistry", MeterRegistry.class).get("offload.calls").timers()).isNotEmpty();
		});
	}

	@Test
	void noMetersWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(OffloadExecutors.class)
				.doesNotHaveBean(OffloadMetrics.class));
	}

	@Test
	void starterWorksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(OffloadMetrics.class);
			assertThat(context.getBean(Offloader.class).call(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
		});
	}

	@Test
	void noMetersWhenOffloadIsDisabled() {
		this.contextRunner.withPropertyValues("offload.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OffloadMetrics.class));
	}

	@Test
	void userDefinedOffloadMetricsWins() {
		this.contextRunner.withUserConfiguration(CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(OffloadMetrics.class).hasBean("customOffloadMetrics"));
	}

	@Test
	void bootsExecutorMetricsDoNotBindTheOffloadPoolsAgain() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withConfiguration(MetricsAutoConfigurations.taskExecutor())
			.withPropertyValues("offload.executors.jdbc.core-size=2")
			.run((context) -> {
				assertThat(context).hasSingleBean(OffloadMetrics.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertDistinctIds(registry);
				assertThat(poolNames(registry, "executor.active")).containsExactlyInAnyOrder("applicationTaskExecutor",
						"offload.default", "offload.jdbc");
				for (String name : List.of("executor.active", "executor.queued", "executor.queue.remaining",
						"executor.pool.size", "executor.pool.core", "executor.pool.max", "executor.completed")) {
					assertThat(poolNames(registry, name)).as(name)
						.containsOnlyOnce("offload.default", "offload.jdbc", "applicationTaskExecutor")
						.hasSize(3);
				}
			});
	}

	@Test
	void beanExecutorIsMeteredOnlyByItsOwner() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withConfiguration(MetricsAutoConfigurations.taskExecutor())
			.withUserConfiguration(ReportExecutorConfiguration.class)
			.withPropertyValues("offload.executors.reports.bean=reportExecutor")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertDistinctIds(registry);
				assertThat(poolNames(registry, "executor.active")).containsExactlyInAnyOrder("reportExecutor",
						"offload.default");
				context.getBean(Offloader.class).executor("reports").call(() -> "ok").get(5, TimeUnit.SECONDS);
				assertThat(registry.get("offload.calls")
					.tag("executor", "reports")
					.tag("outcome", "success")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	private static List<String> poolNames(MeterRegistry registry, String meterName) {
		return registry.find(meterName).meters().stream().map((meter) -> meter.getId().getTag("name")).toList();
	}

	private static void assertDistinctIds(MeterRegistry registry) {
		List<Meter.Id> ids = registry.getMeters().stream().map(Meter::getId).toList();
		assertThat(ids).doesNotHaveDuplicates();
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		MeterRegistry myRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		@Bean
		OffloadMetrics customOffloadMetrics(OffloadExecutors offloadExecutors) {
			return new OffloadMetrics(offloadExecutors);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReportExecutorConfiguration {

		@Bean
		ThreadPoolTaskExecutor reportExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(1);
			return executor;
		}

	}

	public static class FireAndForget {

		@Offload
		public void fail() {
			throw new IllegalStateException("not lost");
		}

	}

}
