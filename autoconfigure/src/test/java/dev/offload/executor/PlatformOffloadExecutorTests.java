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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskRejectedException;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PlatformOffloadExecutor}: a bounded pool of platform threads.
 */
class PlatformOffloadExecutorTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private PlatformOffloadExecutor executor(int coreSize, int maxSize, int queueCapacity) {
		return new PlatformOffloadExecutor("io", coreSize, maxSize, queueCapacity, Duration.ofSeconds(60),
				"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	private DefaultOffloader offloader(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return new DefaultOffloader(registry);
	}

	private CompletableFuture<String> blockingCall(DefaultOffloader offloader, CountDownLatch started) {
		return offloader.call(BlockingBody.until(this.release).returning("first").countingDown(started));
	}

	@Test
	void exposesPoolSettings() {
		PlatformOffloadExecutor executor = executor(2, 4, 7);
		offloader(executor);
		assertThat(executor.getType()).isEqualTo(OffloadExecutor.Type.PLATFORM);
		assertThat(executor.getCoreSize()).isEqualTo(2);
		assertThat(executor.getMaxSize()).isEqualTo(4);
		assertThat(executor.getQueueCapacity()).isEqualTo(7);
		assertThat(executor.getThreadPoolExecutor().getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(60);
		assertThat(executor.getThreadPoolExecutor().allowsCoreThreadTimeOut()).isTrue();
	}

	@Test
	void bodyRunsOnThreadWithConfiguredPrefix() throws Exception {
		DefaultOffloader offloader = offloader(executor(2, 2, 10));
		assertThat(offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.startsWith("offload-io-");
	}

	@Test
	void callToAPoolShutDownUnderneathIsRejectedAsShutDownWithThePoolsRejectionAsCause() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 1);
		executor.getThreadPoolExecutor().shutdown();
		CompletableFuture<String> call = offloader(executor).call(() -> "never");
		assertThat(assertThatRejected(call).getCause()).isInstanceOf(TaskRejectedException.class)
			.hasMessageContaining("'io' is shut down")
			.cause()
			.isInstanceOf(RejectedExecutionException.class)
			.isNotInstanceOf(TaskRejectedException.class);
	}

	@Test
	void saturatedPoolRejectsAtOnceWithoutBlockingCaller() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 1);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean thirdRan = new AtomicBoolean();
		CompletableFuture<String> first = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> second = offloader.call(() -> "second");
		long start = System.nanoTime();
		CompletableFuture<String> third = offloader.call(() -> {
			thirdRan.set(true);
			return "third";
		});
		long callMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(callMillis).isLessThan(500);
		assertThat(third.isCompletedExceptionally()).isTrue();
		ExecutionException ex = assertThatRejected(third);
		assertThat(ex.getCause()).isInstanceOf(TaskRejectedException.class)
			.hasMessageContaining("'io'")
			.hasMessageContaining("saturated");
		assertThat(((OffloadCall<?>) third).getOutcome()).isEqualTo(OffloadOutcome.REJECTED);
		assertThat(executor.getRejectedCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
		assertThat(thirdRan).isFalse();
		assertThat(executor.getRejectedCount()).isEqualTo(1);
		// A call leaves the in-flight set just after its future completes.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executor.getInFlightCount() == 0);
	}

	@Test
	void directHandOffPoolRejectsWhenAllThreadsBusy() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 0);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> first = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> second = offloader.call(() -> "second");
		assertThat(second.isCompletedExceptionally()).isTrue();
		assertThat(assertThatRejected(second).getCause()).isInstanceOf(TaskRejectedException.class)
			.hasMessageContaining("'io'")
			.hasMessageContaining("no queue");
		assertThat(executor.getRejectedCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
	}

	@Test
	void poolGrowsBeyondCoreOnlyWhenQueueIsFull() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 2, 1);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(2);
		CompletableFuture<String> first = blockingCall(offloader, started);
		CompletableFuture<String> queued = offloader.call(() -> "queued");
		CompletableFuture<String> third = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(executor.getPoolSize()).isEqualTo(2);
		assertThat(executor.getActiveCount()).isEqualTo(2);
		assertThat(executor.getQueueSize()).isEqualTo(1);
		assertThat(offloader.call(() -> "rejected").isCompletedExceptionally()).isTrue();
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
		assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("first");
	}

	@Test
	void queuedCallWhoseTimeoutElapsesNeverRuns() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 10);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean secondRan = new AtomicBoolean();
		CompletableFuture<String> first = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		// Queued behind the first (not rejected: the timeout below says so). Its queue
		// size
		// is not read here: on a loaded machine the timeout may already have removed it.
		CompletableFuture<String> second = offloader.timeout(Duration.ofMillis(100)).call(() -> {
			secondRan.set(true);
			return "second";
		});
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> second.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class).hasMessageContaining("will not run");
		assertThat(executor.getQueueSize()).isZero();
		assertThat(executor.getTimedOutCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		CompletableFuture<String> third = offloader.call(() -> "third");
		assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo("third");
		assertThat(secondRan).isFalse();
	}

	@Test
	void cancelledQueuedCallNeverRunsAndLeavesTheQueue() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 10);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger queuedRuns = new AtomicInteger();
		CompletableFuture<String> first = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> cancelled = offloader.call(() -> {
			queuedRuns.incrementAndGet();
			return "cancelled";
		});
		CompletableFuture<String> kept = offloader.call(() -> "kept");
		assertThat(executor.getQueueSize()).isEqualTo(2);
		assertThat(cancelled.cancel(true)).isTrue();
		assertThat(cancelled.isCancelled()).isTrue();
		assertThat(executor.getQueueSize()).isEqualTo(1);
		assertThat(((OffloadCall<?>) cancelled).hasStarted()).isFalse();
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		assertThat(kept.get(5, TimeUnit.SECONDS)).isEqualTo("kept");
		assertThat(offloader.call(() -> "after").get(5, TimeUnit.SECONDS)).isEqualTo("after");
		assertThat(queuedRuns).hasValue(0);
		// A call leaves the in-flight set just after its future completes.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executor.getInFlightCount() == 0);
	}

	@Test
	void cancelledQueuedCallsFreeQueueCapacity() throws Exception {
		PlatformOffloadExecutor executor = executor(1, 1, 1);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> first = blockingCall(offloader, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 5; i++) {
			CompletableFuture<String> queued = offloader.call(() -> "queued");
			assertThat(queued.isDone()).isFalse();
			assertThat(queued.cancel(false)).isTrue();
		}
		assertThat(executor.getRejectedCount()).isZero();
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
	}

	private static ExecutionException assertThatRejected(CompletableFuture<?> future) {
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class);
		return ex;
	}

	@Test
	void keepAliveBelowASecondIsKeptToTheMillisecond() {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("io", 1, 1, 1, Duration.ofMillis(500),
				"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		offloader(executor);
		assertThat(executor.getThreadPoolExecutor().getKeepAliveTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
	}

	@Test
	void wouldStartNowFollowsHowThePoolHandsOutThreads() throws Exception {
		// core 1, max 2, queue of 1: a second thread starts only once the queue is full.
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1));
		try {
			assertThat(PlatformOffloadExecutor.wouldStartNow(pool)).as("no thread yet, below core").isTrue();
			CountDownLatch started = new CountDownLatch(1);
			pool.execute(() -> {
				started.countDown();
				awaitRelease();
			});
			assertThat(Latches.await(started)).isTrue();
			assertThat(PlatformOffloadExecutor.wouldStartNow(pool)).as("core busy, queue has room").isFalse();
			pool.execute(this::awaitRelease);
			assertThat(PlatformOffloadExecutor.wouldStartNow(pool)).as("queue full, below max").isTrue();
			CountDownLatch second = new CountDownLatch(1);
			pool.execute(() -> {
				second.countDown();
				awaitRelease();
			});
			assertThat(Latches.await(second)).isTrue();
			assertThat(PlatformOffloadExecutor.wouldStartNow(pool)).as("queue full, at max").isFalse();
		}
		finally {
			this.release.countDown();
			pool.shutdown();
			assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void idleThreadsTakeNewCallsAtOnce() throws Exception {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(5));
		try {
			pool.prestartAllCoreThreads();
			CountDownLatch started = new CountDownLatch(1);
			pool.execute(() -> {
				started.countDown();
				awaitRelease();
			});
			assertThat(Latches.await(started)).isTrue();
			// A thread counts as active until it has really started, idle or not.
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 1);
			assertThat(PlatformOffloadExecutor.wouldStartNow(pool)).as("one of two threads idle").isTrue();
		}
		finally {
			this.release.countDown();
			pool.shutdown();
			assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	private void awaitRelease() {
		try {
			Latches.await(this.release);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
