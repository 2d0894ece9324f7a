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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.core.task.TaskRejectedException;

import dev.offload.Offloader;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link VirtualOffloadExecutor}: one virtual thread per call, with an optional
 * limit.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
class VirtualOffloadExecutorTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private static VirtualOffloadExecutor executor(@Nullable Integer maxConcurrency, int queueCapacity,
			Duration awaitTermination) {
		return new VirtualOffloadExecutor("http", maxConcurrency, queueCapacity, "offload-http-", null,
				awaitTermination, ContextPropagator.NONE);
	}

	private DefaultOffloader offloader(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return new DefaultOffloader(registry);
	}

	private static boolean isVirtual(Thread thread) throws Exception {
		return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	@Test
	void bodyRunsOnNamedVirtualThread() throws Exception {
		VirtualOffloadExecutor executor = executor(3, 10, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		Thread thread = offloader.call(Thread::currentThread).get(5, TimeUnit.SECONDS);
		assertThat(isVirtual(thread)).isTrue();
		assertThat(thread.getName()).startsWith("offload-http-");
		assertThat(executor.getType()).isEqualTo(OffloadExecutor.Type.VIRTUAL);
		assertThat(executor.getMaxConcurrency()).isEqualTo(3);
		assertThat(executor.getQueueCapacity()).isEqualTo(10);
	}

	@Test
	void concurrencyNeverExceedsLimit() throws Exception {
		VirtualOffloadExecutor executor = executor(3, 100, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		ConcurrencyProbe probe = new ConcurrencyProbe(3);
		List<CompletableFuture<Boolean>> futures = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			futures.add(offloader.call(probe::body));
		}
		assertThat(probe.full.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(executor.getActiveCount()).isEqualTo(3);
		assertThat(executor.getQueueSize()).isEqualTo(27);
		probe.gate.countDown();
		for (CompletableFuture<Boolean> future : futures) {
			assertThat(future.get(5, TimeUnit.SECONDS)).as("ran on a virtual thread").isTrue();
		}
		assertThat(probe.max).hasValue(3);
		assertThat(probe.runs).hasValue(30);
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.getActiveCount() == 0);
		assertThat(executor.getQueueSize()).isZero();
	}

	@Test
	void fullQueueRejectsAtOnce() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 1, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		BlockingBody body = BlockingBody.until(this.release).returning("first");
		CompletableFuture<String> first = offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		CompletableFuture<String> queued = offloader.call(() -> "queued");
		CompletableFuture<String> rejected = offloader.call(() -> "rejected");
		assertThat(rejected).isCompletedExceptionally();
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class)
			.isInstanceOf(TaskRejectedException.class)
			.hasMessageContaining("'http' is saturated (1 of 1 permits in use, queue of 1 full)");
		assertThat(executor.getRejectedCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
	}

	@Test
	void limitWithoutQueueRejectsBeyondLimit() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 0, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		BlockingBody body = BlockingBody.until(this.release).returning("first");
		CompletableFuture<String> first = offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		CompletableFuture<String> rejected = offloader.call(() -> "rejected");
		assertThat(rejected).isCompletedExceptionally();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
			.havingCause()
			.withMessageContaining("'http' is saturated (1 of 1 permits in use, no queue)");
		assertThat(executor.getRejectedCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
	}

	@Test
	void unlimitedExecutorStartsEveryCallAtOnce() throws Exception {
		VirtualOffloadExecutor executor = executor(null, 10, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch allStarted = new CountDownLatch(50);
		List<CompletableFuture<Boolean>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(offloader.call(() -> {
				allStarted.countDown();
				// Every body waits for all the others: only possible if none waits for a
				// permit.
				return allStarted.await(5, TimeUnit.SECONDS);
			}));
		}
		assertThat(allStarted.await(5, TimeUnit.SECONDS)).isTrue();
		for (CompletableFuture<Boolean> future : futures) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(executor.getMaxConcurrency()).isEqualTo(Integer.MAX_VALUE);
		assertThat(executor.getQueueSize()).isZero();
	}

	@Test
	void timeoutInterruptsRunningVirtualBody() throws Exception {
		DefaultOffloader offloader = offloader(executor(3, 10, Duration.ofSeconds(1)));
		BlockingBody body = BlockingBody.until(this.release);
		CompletableFuture<String> future = offloader.timeout(Duration.ofMillis(100)).call(body);
		assertThat(body.awaitStarted()).isTrue();
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
		assertThat(body.awaitInterrupted()).isTrue();
	}

	@Test
	void cancelledAndTimedOutCallsNeverRunAndKeepTheLimit() throws Exception {
		VirtualOffloadExecutor executor = executor(3, 200, Duration.ofSeconds(1));
		DefaultOffloader offloader = offloader(executor);
		AtomicInteger droppedRuns = new AtomicInteger();
		// Three running bodies hold every permit; two will be cancelled while running.
		CountDownLatch started = new CountDownLatch(3);
		List<BlockingBody> bodies = new ArrayList<>();
		List<CompletableFuture<String>> running = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			BlockingBody body = BlockingBody.until(this.release).returning("held").countingDown(started);
			bodies.add(body);
			running.add(offloader.call(body));
		}
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		List<CompletableFuture<String>> cancelled = new ArrayList<>();
		List<CompletableFuture<String>> timedOut = new ArrayList<>();
		Offloader shortTimeout = offloader.timeout(Duration.ofMillis(50));
		for (int i = 0; i < 50; i++) {
			cancelled.add(offloader.call(() -> {
				droppedRuns.incrementAndGet();
				return "cancelled";
			}));
			timedOut.add(shortTimeout.call(() -> {
				droppedRuns.incrementAndGet();
				return "timed out";
			}));
		}
		// All queued, none rejected. (The queue size is not read: on a loaded machine
		// some
		// 50 ms timeouts may already have removed their calls.)
		assertThat(executor.getRejectedCount()).isZero();
		cancelled.forEach((future) -> assertThat(future.cancel(true)).isTrue());
		for (CompletableFuture<String> future : timedOut) {
			ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.actual();
			assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
		}
		assertThat(executor.getQueueSize()).isZero();
		assertThat(executor.getActiveCount()).isEqualTo(3);
		running.get(0).cancel(true);
		running.get(1).cancel(true);
		assertThat(bodies.get(0).awaitInterrupted()).isTrue();
		assertThat(bodies.get(1).awaitInterrupted()).isTrue();
		this.release.countDown();
		assertThat(running.get(2).get(5, TimeUnit.SECONDS)).isEqualTo("held");
		assertThatExceptionOfType(CancellationException.class)
			.isThrownBy(() -> running.get(0).get(5, TimeUnit.SECONDS));

		// A fresh batch still runs at most three at once, and every call completes.
		ConcurrencyProbe probe = new ConcurrencyProbe(3);
		List<CompletableFuture<Boolean>> fresh = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			fresh.add(offloader.call(probe::body));
		}
		assertThat(probe.full.await(5, TimeUnit.SECONDS)).isTrue();
		probe.gate.countDown();
		for (CompletableFuture<Boolean> future : fresh) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(probe.max).hasValue(3);
		assertThat(droppedRuns).hasValue(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.getActiveCount() == 0);
		// A call leaves the in-flight set just after its future completes.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executor.getInFlightCount() == 0);
		assertThat(executor.getTimedOutCount()).isEqualTo(50);
	}

	@Test
	void closeRejectsQueuedCallsAndInterruptsRunningOnes() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 10, Duration.ofMillis(100));
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "http");
		this.registries.add(registry);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		BlockingBody body = BlockingBody.until(this.release);
		CompletableFuture<String> running = offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		AtomicInteger queuedRuns = new AtomicInteger();
		List<CompletableFuture<String>> queued = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			queued.add(offloader.call(() -> {
				queuedRuns.incrementAndGet();
				return "queued";
			}));
		}
		long start = System.nanoTime();
		registry.close();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
			.isLessThan(100 + OffloadExecutors.INTERRUPT_GRACE_MILLIS + 1000);
		assertThat(running).isCompletedExceptionally();
		assertThat(body.awaitInterrupted()).isTrue();
		for (CompletableFuture<String> future : queued) {
			assertThat(future).isDone();
			ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.actual();
			assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class);
		}
		assertThat(queuedRuns).hasValue(0);
		assertThat(offloader.call(() -> "late")).isCompletedExceptionally();
		assertThat(executor.getActiveCount()).isZero();
	}

	/**
	 * A body that records how many bodies run at once. The first {@code limit} bodies
	 * wait at the gate, so the limit is really reached; after the gate opens, bodies
	 * yield a little so that their runs overlap.
	 */
	private static final class ConcurrencyProbe {

		final AtomicInteger current = new AtomicInteger();

		final AtomicInteger max = new AtomicInteger();

		final AtomicInteger runs = new AtomicInteger();

		final CountDownLatch full = new CountDownLatch(1);

		final CountDownLatch gate = new CountDownLatch(1);

		private final int limit;

		ConcurrencyProbe(int limit) {
			this.limit = limit;
		}

		boolean body() throws Exception {
			int now = this.current.incrementAndGet();
			try {
				this.max.accumulateAndGet(now, Math::max);
				this.runs.incrementAndGet();
				if (now >= this.limit) {
					this.full.countDown();
				}
				this.gate.await(5, TimeUnit.SECONDS);
				for (int i = 0; i < 10; i++) {
					Thread.yield();
				}
				return isVirtual(Thread.currentThread());
			}
			finally {
				this.current.decrementAndGet();
			}
		}

	}

}
