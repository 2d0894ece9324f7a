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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for changing the concurrency limit of a {@link VirtualOffloadExecutor} while
 * calls run, on platform threads (the executor's thread factory seam), so that they run
 * on Java 17 too: the limiting is the executor's, whatever the threads.
 */
class VirtualLimitResizeTests {

	private static final int ITERATIONS = 500;

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final ExecutorService racers = Executors.newFixedThreadPool(3);

	@AfterEach
	void close() {
		this.racers.shutdownNow();
		this.registries.forEach(OffloadExecutors::close);
	}

	private VirtualOffloadExecutor executor(Integer maxConcurrency, int queueCapacity) {
		return new VirtualOffloadExecutor("v", maxConcurrency, queueCapacity, "offload-v-", null, Duration.ofSeconds(1),
				ContextPropagator.NONE, Thread::new);
	}

	private DefaultOffloader offloader(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return new DefaultOffloader(registry);
	}

	@Test
	void raisingTheLimitStartsQueuedCallsAtOnce() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 10);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(3);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			calls.add(offloader.call(BlockingBody.until(release).returning("done").countingDown(started)));
		}
		awaitUntil(() -> executor.getActiveCount() == 1);
		assertThat(executor.getQueueSize()).isEqualTo(4);
		executor.resize(3, 10);
		Latches.awaitOrFail(started, "three calls running after the limit went from 1 to 3");
		assertThat(executor.getActiveCount()).isEqualTo(3);
		assertThat(executor.getQueueSize()).isEqualTo(2);
		assertThat(executor.getMaxConcurrency()).isEqualTo(3);
		release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

	@Test
	void loweringTheLimitLetsRunningCallsFinishAndStartsNoneAboveIt() throws Exception {
		VirtualOffloadExecutor executor = executor(3, 10);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		CountDownLatch firstStarted = new CountDownLatch(3);
		List<CompletableFuture<String>> first = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			first.add(offloader.call(BlockingBody.until(releaseFirst).returning("first").countingDown(firstStarted)));
		}
		Latches.awaitOrFail(firstStarted, "three calls running");
		executor.resize(1, 10);
		CountDownLatch releaseSecond = new CountDownLatch(1);
		CountDownLatch secondStarted = new CountDownLatch(1);
		List<CompletableFuture<String>> second = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			second
				.add(offloader.call(BlockingBody.until(releaseSecond).returning("second").countingDown(secondStarted)));
		}
		assertThat(executor.getActiveCount()).as("the running calls go on").isEqualTo(3);
		assertThat(executor.getQueueSize()).isEqualTo(3);
		releaseFirst.countDown();
		for (CompletableFuture<String> call : first) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		}
		Latches.awaitOrFail(secondStarted, "a queued call started");
		awaitUntil(() -> executor.getQueueSize() == 2);
		assertThat(executor.getActiveCount()).as("one at a time now").isOne();
		releaseSecond.countDown();
		for (CompletableFuture<String> call : second) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("second");
		}
	}

	@Test
	void shrinkingTheQueueKeepsQueuedCallsAndRefusesNewOnes() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 3);
		DefaultOffloader offloader = offloader(executor);
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			calls.add(offloader.call(BlockingBody.until(release).returning("done")));
		}
		awaitUntil(() -> executor.getQueueSize() == 3);
		executor.resize(1, 1);
		assertThat(executor.getQueueCapacity()).isOne();
		CompletableFuture<String> refused = offloader.call(() -> "refused");
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(RejectedExecutionException.class);
		release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).as("queued before the shrink, still run").isEqualTo("done");
		}
	}

	@Test
	void anUnlimitedExecutorCannotBeResized() {
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("v", null, 0, "offload-v-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE, Thread::new);
		assertThat(executor.isLimited()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> executor.resize(2, 2));
	}

	/**
	 * Lowers the limit from 4 to 2 while the running calls finish and more are submitted,
	 * all released together by a barrier. Once the count of calls holding a permit has
	 * been seen at or below 2 after the change, no body may start with more than 2 bodies
	 * running; every call completes, and afterwards the executor runs exactly 2 calls at
	 * once: no permit was lost or leaked.
	 */
	@Test
	void loweringTheLimitRacingCompletionsAndSubmissions() throws Exception {
		VirtualOffloadExecutor executor = executor(4, 1000);
		DefaultOffloader offloader = offloader(executor);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger violations = new AtomicInteger();
		for (int i = 0; i < ITERATIONS; i++) {
			executor.resize(4, 1000);
			AtomicBoolean settled = new AtomicBoolean();
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch started = new CountDownLatch(4);
			List<CompletableFuture<?>> calls = new ArrayList<>();
			for (int b = 0; b < 4; b++) {
				calls.add(offloader.run(() -> {
					inFlight.incrementAndGet();
					started.countDown();
					try {
						release.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						inFlight.decrementAndGet();
					}
				}));
			}
			Latches.awaitOrFail(started, "four calls running");
			Runnable probe = () -> {
				int now = inFlight.incrementAndGet();
				if (settled.get() && now > 2) {
					violations.incrementAndGet();
				}
				Thread.yield();
				inFlight.decrementAndGet();
			};
			for (int p = 0; p < 4; p++) {
				calls.add(offloader.run(probe));
			}
			CyclicBarrier barrier = new CyclicBarrier(3);
			Future<?> lower = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				executor.resize(2, 1000);
				awaitUntil(() -> executor.getActiveCount() <= 2);
				settled.set(true);
				return null;
			});
			Future<?> finish = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				release.countDown();
				return null;
			});
			List<CompletableFuture<?>> more = new ArrayList<>();
			Future<?> submit = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				for (int p = 0; p < 6; p++) {
					more.add(offloader.run(probe));
				}
				return null;
			});
			lower.get(5, TimeUnit.SECONDS);
			finish.get(5, TimeUnit.SECONDS);
			submit.get(5, TimeUnit.SECONDS);
			calls.addAll(more);
			for (CompletableFuture<?> call : calls) {
				assertThat(Races.failureOf(call)).as("iteration %d", i).isNull();
			}
			awaitUntil(() -> executor.getActiveCount() == 0);
			assertThat(executor.getQueueSize()).as("iteration %d", i).isZero();
		}
		assertThat(violations).hasValue(0);
		assertRunsExactly(executor, offloader, 2);
	}

	/**
	 * Raises the limit from 1 to 3 while calls finish and more are submitted: no queued
	 * call is stranded (every call completes), and afterwards exactly 3 run at once.
	 */
	@Test
	void raisingTheLimitRacingCompletionsAndSubmissions() throws Exception {
		VirtualOffloadExecutor executor = executor(1, 1000);
		DefaultOffloader offloader = offloader(executor);
		for (int i = 0; i < ITERATIONS; i++) {
			executor.resize(1, 1000);
			CountDownLatch release = new CountDownLatch(1);
			List<CompletableFuture<?>> calls = new ArrayList<>();
			for (int c = 0; c < 4; c++) {
				calls.add(offloader.call(BlockingBody.until(release).returning("done")));
			}
			CyclicBarrier barrier = new CyclicBarrier(3);
			Future<?> raise = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				executor.resize(3, 1000);
				return null;
			});
			Future<?> finish = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				release.countDown();
				return null;
			});
			List<CompletableFuture<?>> more = new ArrayList<>();
			Future<?> submit = this.racers.submit(() -> {
				barrier.await(5, TimeUnit.SECONDS);
				for (int c = 0; c < 4; c++) {
					more.add(offloader.call(() -> "more"));
				}
				return null;
			});
			raise.get(5, TimeUnit.SECONDS);
			finish.get(5, TimeUnit.SECONDS);
			submit.get(5, TimeUnit.SECONDS);
			calls.addAll(more);
			for (CompletableFuture<?> call : calls) {
				assertThat(Races.failureOf(call)).as("iteration %d", i).isNull();
			}
			awaitUntil(() -> executor.getActiveCount() == 0);
		}
		assertRunsExactly(executor, offloader, 3);
	}

	private static void awaitUntil(Callable<Boolean> condition) {
		Awaitility.await()
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.atMost(Duration.ofSeconds(5))
			.until(condition);
	}

	private static void assertRunsExactly(VirtualOffloadExecutor executor, DefaultOffloader offloader, int limit)
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(limit);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int c = 0; c <= limit; c++) {
			calls.add(offloader.call(BlockingBody.until(release).returning("done").countingDown(started)));
		}
		Latches.awaitOrFail(started, limit + " calls running");
		awaitUntil(() -> executor.getQueueSize() == 1);
		assertThat(executor.getActiveCount()).isEqualTo(limit);
		release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

}
