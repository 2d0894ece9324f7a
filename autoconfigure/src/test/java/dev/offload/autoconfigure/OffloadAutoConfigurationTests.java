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

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.ReflectionUtils;

import dev.offload.OffloadConfigurationException;
import dev.offload.Offloader;
import dev.offload.aop.OffloadAnnotationBeanPostProcessor;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.CallerRunsOffloader;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class));

	@Test
	void pausingTheContextLeavesTheExecutorsRunning() throws Exception {
		// ConfigurableApplicationContext.pause() is new in Framework 7 (Spring Boot 4);
		// on
		// 6.2 a context is never paused, so there is nothing to check there.
		Method pause = ReflectionUtils.findMethod(ConfigurableApplicationContext.class, "pause");
		Assumptions.assumeTrue(pause != null, "Spring Framework 7+ pauses contexts");
		this.contextRunner.run((context) -> {
			ConfigurableApplicationContext applicationContext = (ConfigurableApplicationContext) context
				.getSourceApplicationContext();
			ReflectionUtils.invokeMethod(pause, applicationContext);
			applicationContext.start();
			Offloader offloader = context.getBean(Offloader.class);
			assertThat(offloader.call(() -> "after pause").get(5, TimeUnit.SECONDS)).isEqualTo("after pause");
		});
	}

	@Test
	void stoppingTheContextShutsTheExecutorsDown() {
		this.contextRunner.run((context) -> {
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).stop();
			assertThat(context.getBean(Offloader.class).call(() -> "after stop")).failsWithin(5, TimeUnit.SECONDS)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(RejectedExecutionException.class);
		});
	}

	@Test
	void defaultExecutorAlwaysExistsWithDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OffloadExecutors.class)
				.hasSingleBean(DefaultOffloader.class)
				.hasSingleBean(OffloadAnnotationBeanPostProcessor.class);
			OffloadExecutors executors = context.getBean(OffloadExecutors.class);
			assertThat(executors.getNames()).containsExactly("default");
			PlatformOffloadExecutor executor = (PlatformOffloadExecutor) executors.getDefaultExecutor();
			assertThat(executor.getCoreSize()).isEqualTo(16);
			assertThat(executor.getMaxSize()).isEqualTo(16);
			assertThat(executor.getQueueCapacity()).isEqualTo(1000);
			assertThat(executor.getThreadPoolExecutor().getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(60);
			assertThat(executor.getThreadPoolExecutor().allowsCoreThreadTimeOut()).isTrue();
			assertThat(executor.getAwaitTermination()).isEqualTo(Duration.ofSeconds(10));
			assertThat(executor.getTimeoutNanos()).isZero();
		});
	}

	@Test
	void offloaderRunsOnDefaultAndNamedExecutors() {
		this.contextRunner.withPropertyValues("offload.executors.files.core-size=1").run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			assertThat(offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.startsWith("offload-default-");
			assertThat(
					offloader.executor("files").call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.isEqualTo("offload-files-1");
		});
	}

	@Test
	void namedExecutorsAreConfiguredFromProperties() {
		this.contextRunner
			.withPropertyValues("offload.executors.jdbc.core-size=4", "offload.executors.jdbc.max-size=8",
					"offload.executors.jdbc.queue-capacity=0", "offload.executors.jdbc.keep-alive=5s",
					"offload.executors.jdbc.thread-name-prefix=db-", "offload.executors.jdbc.timeout=2s",
					"offload.executors.jdbc.await-termination=30s", "offload.default-executor=jdbc")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				assertThat(executors.getNames()).containsExactly("default", "jdbc");
				PlatformOffloadExecutor jdbc = (PlatformOffloadExecutor) executors.get("jdbc");
				assertThat(executors.getDefaultExecutor()).isSameAs(jdbc);
				assertThat(jdbc.getCoreSize()).isEqualTo(4);
				assertThat(jdbc.getMaxSize()).isEqualTo(8);
				assertThat(jdbc.getQueueCapacity()).isZero();
				assertThat(jdbc.getThreadPoolExecutor().getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(5);
				assertThat(jdbc.getTimeoutNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
				assertThat(jdbc.getAwaitTermination()).isEqualTo(Duration.ofSeconds(30));
				assertThat(context.getBean(Offloader.class)
					.call(() -> Thread.currentThread().getName())
					.get(5, TimeUnit.SECONDS)).startsWith("db-");
			});
	}

	@Test
	void oneSizeSetMakesAFixedPool() {
		this.contextRunner.withPropertyValues("offload.executors.a.core-size=3", "offload.executors.b.max-size=5")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				PlatformOffloadExecutor a = (PlatformOffloadExecutor) executors.get("a");
				PlatformOffloadExecutor b = (PlatformOffloadExecutor) executors.get("b");
				assertThat(a.getCoreSize()).isEqualTo(3);
				assertThat(a.getMaxSize()).isEqualTo(3);
				assertThat(b.getCoreSize()).isEqualTo(5);
				assertThat(b.getMaxSize()).isEqualTo(5);
			});
	}

	@Test
	void offloadExecutorsAreNotExecutorBeansSoBootKeepsItsOwnTaskExecutor() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withPropertyValues("offload.executors.jdbc.core-size=2")
			.run((context) -> {
				assertThat(context.getBeansOfType(Executor.class)).containsOnlyKeys("applicationTaskExecutor");
				assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(ThreadPoolTaskExecutor.class);
			});
	}

	@Test
	void beanExecutorRunsCallsOnTheApplicationsExecutor() {
		this.contextRunner.withUserConfiguration(ReportExecutorConfiguration.class)
			.withPropertyValues("offload.executors.reports.bean=reportExecutor", "offload.executors.reports.timeout=1s")
			.run((context) -> {
				OffloadExecutor reports = context.getBean(OffloadExecutors.class).get("reports");
				assertThat(reports).isInstanceOf(BeanOffloadExecutor.class);
				assertThat(reports.getTimeoutNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
				assertThat(context.getBean(Offloader.class)
					.executor("reports")
					.call(() -> Thread.currentThread().getName())
					.get(5, TimeUnit.SECONDS)).startsWith("report-");
			});
	}

	@Test
	void beanExecutorIsNotShutDownWithTheOffloadExecutors() {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			this.contextRunner
				.withBean("plainExecutor", ExecutorService.class, () -> pool,
						(definition) -> definition.setDestroyMethodName(""))
				.withPropertyValues("offload.executors.plain.bean=plainExecutor")
				.run((context) -> assertThat(
						context.getBean(Offloader.class).executor("plain").call(() -> "ok").get(5, TimeUnit.SECONDS))
					.isEqualTo("ok"));
			assertThat(pool.isShutdown()).isFalse();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void disabledRunsOffloaderTasksOnCallerThreadAndCreatesNoExecutors() {
		this.contextRunner.withPropertyValues("offload.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(OffloadExecutors.class)
				.doesNotHaveBean(OffloadAnnotationBeanPostProcessor.class)
				.hasSingleBean(CallerRunsOffloader.class);
			String caller = Thread.currentThread().getName();
			assertThat(context.getBean(Offloader.class)
				.call(() -> Thread.currentThread().getName())
				.get(5, TimeUnit.SECONDS)).isEqualTo(caller);
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualExecutorWhenRequested() {
		this.contextRunner
			.withPropertyValues("offload.executors.http.virtual=true", "offload.executors.http.max-concurrency=50",
					"offload.executors.http.queue-capacity=10")
			.run((context) -> {
				VirtualOffloadExecutor http = (VirtualOffloadExecutor) context.getBean(OffloadExecutors.class)
					.get("http");
				assertThat(http.getMaxConcurrency()).isEqualTo(50);
				assertThat(http.getQueueCapacity()).isEqualTo(10);
				String thread = context.getBean(Offloader.class)
					.executor("http")
					.call(() -> Thread.currentThread().toString())
					.get(5, TimeUnit.SECONDS);
				assertThat(thread).startsWith("VirtualThread").contains("offload-http-");
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void springThreadsVirtualEnabledMakesExecutorsVirtualUnlessTheySayOtherwise() {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.bounded.max-size=20",
					"offload.executors.pooled.virtual=false")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				assertThat(executors.getDefaultExecutor()).isInstanceOf(VirtualOffloadExecutor.class);
				assertThat(((VirtualOffloadExecutor) executors.get("bounded")).getMaxConcurrency()).isEqualTo(20);
				assertThat(executors.get("pooled")).isInstanceOf(PlatformOffloadExecutor.class);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void sizedExecutorWhenVirtualThreadsEnabledShouldStayABulkhead(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.jdbc.core-size=4",
					"offload.executors.jdbc.queue-capacity=10", "offload.executors.jdbc.keep-alive=30s",
					"offload.executors.wide.core-size=2", "offload.executors.wide.max-size=8")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				VirtualOffloadExecutor jdbc = (VirtualOffloadExecutor) executors.get("jdbc");
				assertThat(jdbc.getMaxConcurrency()).isEqualTo(4);
				assertThat(jdbc.getQueueCapacity()).isEqualTo(10);
				VirtualOffloadExecutor wide = (VirtualOffloadExecutor) executors.get("wide");
				assertThat(wide.getMaxConcurrency()).isEqualTo(8);
				assertThat(wide.getQueueCapacity()).isEqualTo(1000);
				assertThat(output).contains("Offload executor 'jdbc' uses virtual threads "
						+ "(spring.threads.virtual.enabled) and stays a bulkhead: max-concurrency 4 (from core-size), "
						+ "queue-capacity 10; not applicable, ignored: offload.executors.jdbc.keep-alive. "
						+ "Set offload.executors.jdbc.virtual=false to keep a pool of platform threads.")
					.contains("Offload executor 'wide' uses virtual threads "
							+ "(spring.threads.virtual.enabled) and stays a bulkhead: max-concurrency 8 (from max-size), "
							+ "queue-capacity 1000; not applicable, ignored: offload.executors.wide.core-size. "
							+ "Set offload.executors.wide.virtual=false to keep a pool of platform threads.")
					.doesNotContain("Offload executor 'default'");
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void sizedExecutorWhenVirtualThreadsEnabledShouldRunAtMostItsSizeAndQueueTheRest() {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.jdbc.core-size=2",
					"offload.executors.jdbc.queue-capacity=3")
			.run((context) -> {
				Offloader jdbc = context.getBean(Offloader.class).executor("jdbc");
				OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("jdbc");
				CountDownLatch release = new CountDownLatch(1);
				List<CompletableFuture<String>> calls = new ArrayList<>();
				try {
					for (int i = 0; i < 5; i++) {
						calls.add(jdbc.call(() -> {
							release.await();
							return Thread.currentThread().toString();
						}));
					}
					await().untilAsserted(() -> assertThat(executor.getActiveCount()).isEqualTo(2));
					assertThat(executor.getQueueSize()).isEqualTo(3);
					assertThat(jdbc.call(() -> "one too many")).failsWithin(Duration.ofSeconds(5))
						.withThrowableOfType(ExecutionException.class)
						.withCauseInstanceOf(RejectedExecutionException.class);
				}
				finally {
					release.countDown();
				}
				assertThat(calls).allSatisfy((call) -> assertThat(call).succeedsWithin(Duration.ofSeconds(5))
					.asString()
					.startsWith("VirtualThread"));
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void unsizedExecutorWhenVirtualThreadsEnabledShouldNameTheKeysItIgnores(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.files.keep-alive=5s",
					"offload.executors.files.queue-capacity=50", "offload.executors.http.max-concurrency=100",
					"offload.executors.http.max-size=20")
			.run((context) -> {
				OffloadExecutors executors = context.getBean(OffloadExecutors.class);
				assertThat(((VirtualOffloadExecutor) executors.get("files")).getMaxConcurrency())
					.isEqualTo(Integer.MAX_VALUE);
				assertThat(((VirtualOffloadExecutor) executors.get("http")).getMaxConcurrency()).isEqualTo(100);
				assertThat(output).contains("Offload executor 'files' uses virtual threads "
						+ "(spring.threads.virtual.enabled) with no limit on concurrent calls; not applicable, ignored: "
						+ "offload.executors.files.keep-alive, offload.executors.files.queue-capacity. "
						+ "Set offload.executors.files.max-concurrency to bound it, "
						+ "or offload.executors.files.virtual=false to keep a pool of platform threads.")
					.contains("Offload executor 'http' uses virtual threads (spring.threads.virtual.enabled) "
							+ "and stays a bulkhead: max-concurrency 100, queue-capacity 1000; "
							+ "not applicable, ignored: offload.executors.http.max-size.");
			});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "only a JVM older than 21 ignores the property")
	void sizedExecutorWhenVirtualThreadsEnabledOnOldJavaShouldStayAPool() {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "offload.executors.jdbc.core-size=4",
					"offload.executors.jdbc.queue-capacity=10")
			.run((context) -> {
				PlatformOffloadExecutor jdbc = (PlatformOffloadExecutor) context.getBean(OffloadExecutors.class)
					.get("jdbc");
				assertThat(jdbc.getCoreSize()).isEqualTo(4);
				assertThat(jdbc.getMaxSize()).isEqualTo(4);
				assertThat(jdbc.getQueueCapacity()).isEqualTo(10);
			});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "only a JVM older than 21 refuses virtual threads")
	void virtualExecutorOnOldJavaFailsStartup() {
		assertInvalid("offload.executors.http.virtual=true", "offload.executors.http.virtual",
				"virtual threads need Java 21 or later");
	}

	@Test
	void maxSizeSmallerThanCoreSizeFailsStartup() {
		this.contextRunner
			.withPropertyValues("offload.executors.jdbc.core-size=10", "offload.executors.jdbc.max-size=4")
			.run((context) -> {
				OffloadConfigurationException ex = startupFailure(context);
				assertThat(ex.getDescription()).isEqualTo(
						"Invalid offload setting 'offload.executors.jdbc.max-size': it is 4, smaller than core-size (10).");
				assertThat(ex.getAction()).isEqualTo(
						"Set offload.executors.jdbc.max-size to at least core-size, or lower offload.executors.jdbc.core-size.");
			});
	}

	@Test
	void negativeQueueCapacityFailsStartup() {
		assertInvalid("offload.executors.jdbc.queue-capacity=-1", "offload.executors.jdbc.queue-capacity",
				"it is -1, but it must be 0 or more.");
	}

	@Test
	void negativeCoreSizeFailsStartup() {
		assertInvalid("offload.executors.jdbc.core-size=-2", "offload.executors.jdbc.core-size",
				"it is -2, but it must be 0 or more.");
	}

	@Test
	void zeroMaxConcurrencyFailsStartup() {
		assertInvalid("offload.executors.http.max-concurrency=0", "offload.executors.http.max-concurrency",
				"it must be 1 or more");
	}

	@Test
	void maxConcurrencyOnPlatformExecutorFailsStartup() {
		assertInvalid("offload.executors.jdbc.max-concurrency=5", "offload.executors.jdbc.max-concurrency",
				"it only applies to virtual executors, and executor 'jdbc' uses platform threads.");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void poolKeysOnVirtualExecutorFailStartup() {
		this.contextRunner
			.withPropertyValues("offload.executors.http.virtual=true", "offload.executors.http.core-size=4")
			.run((context) -> assertThat(startupFailure(context).getDescription())
				.contains("'offload.executors.http.core-size'")
				.contains("executor 'http' is virtual"));
	}

	@Test
	void nonPositiveTimeoutFailsStartup() {
		assertInvalid("offload.executors.jdbc.timeout=0s", "offload.executors.jdbc.timeout", "it must be positive");
	}

	@Test
	void zeroKeepAliveFailsStartup() {
		assertInvalid("offload.executors.jdbc.keep-alive=0s", "offload.executors.jdbc.keep-alive",
				"it is PT0S, but it must be positive.");
	}

	@Test
	void negativeKeepAliveFailsStartup() {
		assertInvalid("offload.executors.jdbc.keep-alive=-5s", "offload.executors.jdbc.keep-alive",
				"it is PT-5S, but it must be positive.");
	}

	@Test
	void negativeAwaitTerminationFailsStartupButZeroIsAllowed() {
		assertInvalid("offload.executors.jdbc.await-termination=-1s", "offload.executors.jdbc.await-termination",
				"it is PT-1S, but it must be zero or positive.");
		this.contextRunner.withPropertyValues("offload.executors.jdbc.await-termination=0s")
			.run((context) -> assertThat(context.getBean(OffloadExecutors.class).get("jdbc").getAwaitTermination())
				.isZero());
	}

	@Test
	void timeoutWithWrongUnitFailsStartupNamingTheKey() {
		this.contextRunner.withPropertyValues("offload.executors.jdbc.timeout=5 parsecs").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IllegalArgumentException.class);
			BindException bindException = findCause(context.getStartupFailure(), BindException.class);
			assertThat(bindException.getProperty().getName().toString()).isEqualTo("offload.executors.jdbc.timeout");
		});
	}

	@Test
	void unknownDefaultExecutorFailsStartup() {
		assertInvalid("offload.default-executor=jdbc", "offload.default-executor",
				"it names 'jdbc', which is not configured. Configured executors: default.");
	}

	@Test
	void missingBeanFailsStartup() {
		assertInvalid("offload.executors.reports.bean=reportExecutor", "offload.executors.reports.bean",
				"it names 'reportExecutor', but there is no bean of that name.");
	}

	@Test
	void beanThatIsNotAnExecutorFailsStartup() {
		this.contextRunner.withBean("reportExecutor", String.class, () -> "not an executor")
			.withPropertyValues("offload.executors.reports.bean=reportExecutor")
			.run((context) -> assertThat(startupFailure(context).getDescription()).isEqualTo(
					"Invalid offload setting 'offload.executors.reports.bean': it names 'reportExecutor', which is a "
							+ "java.lang.String, not a java.util.concurrent.Executor."));
	}

	@Test
	void beanWithPoolKeysFailsStartup() {
		this.contextRunner.withUserConfiguration(ReportExecutorConfiguration.class)
			.withPropertyValues("offload.executors.reports.bean=reportExecutor",
					"offload.executors.reports.core-size=2", "offload.executors.reports.queue-capacity=5")
			.run((context) -> {
				OffloadConfigurationException ex = startupFailure(context);
				assertThat(ex.getDescription()).isEqualTo("Invalid offload setting 'offload.executors.reports.bean': "
						+ "it is set together with core-size, queue-capacity, but an executor given by bean keeps its "
						+ "owner's settings.");
				assertThat(ex.getAction())
					.startsWith("Remove core-size, queue-capacity from offload.executors.reports");
			});
	}

	private void assertInvalid(String property, String key, String problem) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> assertThat(startupFailure(context).getDescription())
				.startsWith("Invalid offload setting '" + key + "': ")
				.contains(problem));
	}

	private static OffloadConfigurationException startupFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return findCause(context.getStartupFailure(), OffloadConfigurationException.class);
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		throw new AssertionError("No " + type.getName() + " in " + failure, failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportExecutorConfiguration {

		@Bean
		ThreadPoolTaskExecutor reportExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("report-");
			executor.setCorePoolSize(1);
			return executor;
		}

	}

}
