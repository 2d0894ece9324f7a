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

package dev.offload.executor;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the pool-starvation policy: a call offloaded from a body to the same executor
 * runs on the calling worker when no thread is free, and is queued as usual otherwise.
 */
@ExtendWith(OutputCaptureExtension.class)
class NestedOffloadTests {

	private OffloadExecutors registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private DefaultOffloader offloader(int threads) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", threads, threads, 100,
				Duration.ofSeconds(60), "offload-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registry = new OffloadExecutors(List.of(executor), "pool");
		return new DefaultOffloader(this.registry);
	}

	@Test
	void nestedCallOnSaturatedPoolRunsOnCallingWorkerInsteadOfDeadlocking(CapturedOutput output) throws Exception {
		DefaultOffloader offloader = offloader(2);
		CountDownLatch bothOuterRunning = new CountDownLatch(2);
		CountDownLatch bothInnerDone = new CountDownLatch(2);
		Set<String> innerRanOnOuterThread = ConcurrentHashMap.newKeySet();
		List<CompletableFuture<String>> outers = List.of(1, 2).stream().map((i) -> offloader.call(() -> {
			bothOuterRunning.countDown();
			bothOuterRunning.await(5, TimeUnit.SECONDS);
			String outerThread = Thread.currentThread().getName();
			String innerThread = offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			if (innerThread.equals(outerThread)) {
				innerRanOnOuterThread.add(outerThread);
			}
			// Both workers stay busy until both nested calls are done: without the
			// policy, each
			// nested call would wait in the queue behind the other worker, forever.
			bothInnerDone.countDown();
			bothInnerDone.await(5, TimeUnit.SECONDS);
			return innerThread;
		})).toList();
		for (CompletableFuture<String> outer : outers) {
			assertThat(outer.get(10, TimeUnit.SECONDS)).startsWith("offload-pool-");
		}
		assertThat(innerRanOnOuterThread).hasSize(2);
		assertThat(this.registry.get("pool").getNestedInlineCount()).isEqualTo(2);
		assertThat(output.getOut()).containsOnlyOnce("Offloader.call is offloaded to executor 'pool' from a body "
				+ "running on that executor (Offloader.call)");
	}

	@Test
	void nestedFanOutWithFreeThreadsStillRunsInParallel() throws Exception {
		DefaultOffloader offloader = offloader(4);
		CountDownLatch allInnerRunning = new CountDownLatch(3);
		CompletableFuture<Set<String>> outer = offloader.call(() -> {
			List<CompletableFuture<String>> inners = List.of(1, 2, 3).stream().map((i) -> offloader.call(() -> {
				allInnerRunning.countDown();
				if (!allInnerRunning.await(5, TimeUnit.SECONDS)) {
					throw new IllegalStateException("inner calls did not run in parallel");
				}
				return Thread.currentThread().getName();
			})).toList();
			Set<String> threads = ConcurrentHashMap.newKeySet();
			for (CompletableFuture<String> inner : inners) {
				threads.add(inner.get(5, TimeUnit.SECONDS));
			}
			threads.add("outer:" + Thread.currentThread().getName());
			return threads;
		});
		Set<String> threads = outer.get(10, TimeUnit.SECONDS);
		assertThat(threads).hasSize(4);
		assertThat(this.registry.get("pool").getNestedInlineCount()).isZero();
	}

	@Test
	void callsFromOtherExecutorsAreNeverRunInline() throws Exception {
		PlatformOffloadExecutor pool = new PlatformOffloadExecutor("pool", 1, 1, 10, Duration.ofSeconds(60),
				"offload-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		PlatformOffloadExecutor other = new PlatformOffloadExecutor("other", 1, 1, 10, Duration.ofSeconds(60),
				"offload-other-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registry = new OffloadExecutors(List.of(pool, other), "pool");
		DefaultOffloader offloader = new DefaultOffloader(this.registry);
		String inner = offloader.call(
				() -> offloader.executor("other").call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.get(10, TimeUnit.SECONDS);
		assertThat(inner).startsWith("offload-other-");
		assertThat(pool.getNestedInlineCount()).isZero();
	}

	@Test
	void nestedCallsThroughNewCallSitesOfTheSameMethodWarnOnce(CapturedOutput output) throws Exception {
		DefaultOffloader offloader = offloader(1);
		for (int i = 0; i < 3; i++) {
			// Each timeout(..) makes new call sites for the same Offloader method.
			assertThat(offloader
				.call(() -> offloader.timeout(Duration.ofSeconds(5)).call(() -> "inner").get(5, TimeUnit.SECONDS))
				.get(10, TimeUnit.SECONDS)).isEqualTo("inner");
		}
		assertThat(this.registry.get("pool").getNestedInlineCount()).isEqualTo(3);
		assertThat(output.getOut()).containsOnlyOnce("Offloader.call is offloaded to executor 'pool'");
	}

	@Test
	void nestedCallOnABeanPoolWithNoFreeThreadRunsOnTheCallingWorker() throws Exception {
		ThreadPoolTaskExecutor application = new ThreadPoolTaskExecutor();
		application.setCorePoolSize(1);
		application.setMaxPoolSize(1);
		application.setThreadNamePrefix("app-");
		application.initialize();
		try {
			BeanOffloadExecutor executor = new BeanOffloadExecutor("app", "application", application, null,
					Duration.ofSeconds(1), ContextPropagator.NONE);
			this.registry = new OffloadExecutors(List.of(executor), "app");
			DefaultOffloader offloader = new DefaultOffloader(this.registry);
			String threads = offloader
				.call(() -> Thread.currentThread().getName() + "/"
						+ offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
				.get(10, TimeUnit.SECONDS);
			assertThat(threads).isEqualTo("app-1/app-1");
			assertThat(executor.getNestedInlineCount()).isOne();
		}
		finally {
			this.registry.close();
			application.shutdown();
		}
	}

	@Test
	void nestedCallOnAnExecutorThatCannotTellIsQueued() throws Exception {
		try (SingleThreadWorker worker = new SingleThreadWorker("serial-1")) {
			BeanOffloadExecutor executor = new BeanOffloadExecutor("serial", "worker", worker, null,
					Duration.ofSeconds(1), ContextPropagator.NONE);
			this.registry = new OffloadExecutors(List.of(executor), "serial");
			DefaultOffloader offloader = new DefaultOffloader(this.registry);
			// The outer body returns the nested call's future without waiting for it (on
			// one
			// thread, a queued call starts after); the outer call completes with its
			// value.
			CompletableFuture<Object> outer = offloader
				.call(() -> offloader.call(() -> "inner on " + Thread.currentThread().getName()));
			assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("inner on serial-1");
			assertThat(executor.getNestedInlineCount()).isZero();
			this.registry.close();
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void nestedCallOnAVirtualExecutorWithNoFreePermitRunsOnTheCallingThread() throws Exception {
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("http", 1, 10, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registry = new OffloadExecutors(List.of(executor), "http");
		DefaultOffloader offloader = new DefaultOffloader(this.registry);
		String threads = offloader
			.call(() -> Thread.currentThread().getName() + "/"
					+ offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.get(10, TimeUnit.SECONDS);
		assertThat(threads).isEqualTo("offload-http-1/offload-http-1");
		assertThat(executor.getNestedInlineCount()).isOne();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void nestedCallOnAVirtualExecutorWithAFreePermitGetsItsOwnThread() throws Exception {
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("http", 2, 10, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registry = new OffloadExecutors(List.of(executor), "http");
		DefaultOffloader offloader = new DefaultOffloader(this.registry);
		String threads = offloader
			.call(() -> Thread.currentThread().getName() + "/"
					+ offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.get(10, TimeUnit.SECONDS);
		assertThat(threads).isEqualTo("offload-http-1/offload-http-2");
		assertThat(executor.getNestedInlineCount()).isZero();
	}

	@Test
	void nestedCallWhoseContextCannotBeInstalledFailsAndHandsTheOuterBodyItsInterrupt() throws Exception {
		DefaultOffloader offloader = offloaderWithFailingContext();
		String seen = offloader.call(() -> {
			Thread.currentThread().interrupt();
			MODE.set("fail-restore");
			CompletableFuture<String> inner = offloader.call(() -> "never");
			MODE.remove();
			return inner.handle((value, ex) -> String.valueOf(ex)).join() + ", outer has "
					+ Thread.currentThread().isInterrupted();
		}).get(5, TimeUnit.SECONDS);
		assertThat(seen).isEqualTo("java.lang.IllegalStateException: restore failed, outer has true");
		// The failed call left the running state and is forgotten.
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.get("pool").getInFlightCount() == 0);
	}

	@Test
	void nestedCallWhoseContextCannotBeResetIsLoggedAndHandsTheOuterBodyItsInterrupt(CapturedOutput output)
			throws Exception {
		DefaultOffloader offloader = offloaderWithFailingContext();
		String seen = offloader.call(() -> {
			Thread.currentThread().interrupt();
			MODE.set("fail-reset");
			CompletableFuture<String> inner = offloader.call(() -> "inner");
			MODE.remove();
			return inner.join() + ", outer has " + Thread.currentThread().isInterrupted();
		}).get(5, TimeUnit.SECONDS);
		assertThat(seen).isEqualTo("inner, outer has true");
		assertThat(output).contains("Could not reset the worker's context after the offloaded call to Offloader.call")
			.contains("reset failed");
	}

	private static final ThreadLocal<@Nullable String> MODE = new ThreadLocal<>();

	/**
	 * A pool of one thread whose context fails to install or to reset when the caller
	 * asks for it through {@link #MODE}.
	 */
	private DefaultOffloader offloaderWithFailingContext() {
		ContextPropagator failing = new ContextPropagator() {

			@Override
			public @Nullable Object capture() {
				return MODE.get();
			}

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				if ("fail-restore".equals(captured)) {
					throw new IllegalStateException("restore failed");
				}
				return captured;
			}

			@Override
			public void reset(@Nullable Object restored) {
				if ("fail-reset".equals(restored)) {
					throw new IllegalStateException("reset failed");
				}
			}

		};
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 1, 1, 100, Duration.ofSeconds(60),
				"offload-pool-", null, Duration.ofSeconds(1), failing);
		this.registry = new OffloadExecutors(List.of(executor), "pool");
		return new DefaultOffloader(this.registry);
	}

}
