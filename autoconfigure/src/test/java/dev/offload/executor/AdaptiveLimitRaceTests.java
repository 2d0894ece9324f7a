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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.offload.OffloadScope;
import dev.offload.context.ContextPropagator;
import dev.offload.limit.AdaptiveLimiter;
import dev.offload.limit.DropExceptions;
import dev.offload.limit.LimitAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adaptive executors under the races every executor survives: a call racing its cancel,
 * its timeout, rejection, new bounds and shutdown; nested calls on a saturated executor;
 * scope members. Whatever the interleaving, once a storm has quiesced no body is in
 * flight for the limiter, no thread or permit is held, the limit is within its bounds,
 * and the executor still runs exactly as many calls at once as its limit says. Each race
 * runs on a pool of platform threads and on a virtual executor (on platform threads here,
 * through its thread-factory seam, so that it runs on Java 17 too).
 */
class AdaptiveLimitRaceTests {

	private static final int ITERATIONS = 2000;

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final ExecutorService racers = Executors.newFixedThreadPool(3);

	@AfterEach
	void close() {
		this.racers.shutdownNow();
		this.registries.forEach(OffloadExecutors::close);
	}

	private OffloadExecutor executor(String kind, int queueCapacity) {
		OffloadExecutor executor = "virtual".equals(kind)
				? new VirtualOffloadExecutor("adaptive", 4, queueCapacity, "offload-adaptive-v-", null,
						Duration.ofSeconds(1), ContextPropagator.NONE, Thread::new)
				: new PlatformOffloadExecutor("adaptive", 4, 4, queueCapacity, Duration.ofSeconds(60),
						"offload-adaptive-p-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		executor.setLimiter(new AdaptiveLimiter("adaptive", LimitAlgorithm.VEGAS, 4, 1, 4,
				DropExceptions.defaults(getClass().getClassLoader())));
		this.registries.add(new OffloadExecutors(List.of(executor), executor.getName()));
		return executor;
	}

	private static CallLimiter limiter(OffloadExecutor executor) {
		CallLimiter limiter = executor.getLimiter();
		assertThat(limiter).isNotNull();
		return limiter;
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void callsRacingCancelTimeoutRejectionAndNewBounds(String kind) throws Exception {
		OffloadExecutor executor = executor(kind, 3);
		CallLimiter limiter = limiter(executor);
		OffloadCallSite untimed = Races.site(executor);
		OffloadCallSite timed = Races.site(executor,
				Duration.ofNanos(50_000 + ThreadLocalRandom.current().nextLong(200_000)));
		List<CompletableFuture<?>> calls = Collections.synchronizedList(new ArrayList<>());
		CyclicBarrier start = new CyclicBarrier(3);
		for (int i = 0; i < ITERATIONS; i++) {
			int iteration = i;
			Future<?> submitter = this.racers.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				// Enough calls at once that some queue and some are rejected.
				for (int c = 0; c < 6; c++) {
					OffloadCallSite site = ((iteration + c) % 3 == 0) ? timed : untimed;
					calls.add(Races.call(site, () -> {
						LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000));
						if (Thread.interrupted()) {
							throw new InterruptedException();
						}
						if (iteration % 7 == 0) {
							throw new TimeoutException("downstream timed out");
						}
						return "done";
					}));
				}
				return null;
			});
			Future<?> canceller = this.racers.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				for (int c = 0; c < 3; c++) {
					CompletableFuture<?> victim = last(calls);
					if (victim != null) {
						victim.cancel(c % 2 == 0);
					}
					Thread.onSpinWait();
				}
				return null;
			});
			Future<?> resizer = this.racers.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				if (iteration % 4 == 0) {
					int min = 1 + ThreadLocalRandom.current().nextInt(2);
					limiter.setBounds(min, min + ThreadLocalRandom.current().nextInt(3));
				}
				return null;
			});
			submitter.get(5, TimeUnit.SECONDS);
			canceller.get(5, TimeUnit.SECONDS);
			resizer.get(5, TimeUnit.SECONDS);
			// A lower limit lets running bodies finish: the ceiling is the highest bound
			// set.
			assertThat(executor.getActiveCount()).as("iteration %d: bodies running", iteration).isLessThanOrEqualTo(4);
		}
		List<String> outcomes = new ArrayList<>();
		for (CompletableFuture<?> call : new ArrayList<>(calls)) {
			Throwable failure = Races.failureOf(call);
			outcomes.add((failure != null) ? failure.getClass().getSimpleName() : "done");
		}
		assertThat(outcomes).as("outcomes seen")
			.contains("done", "CancellationException", "TimeoutException", "TaskRejectedException");
		assertQuiescent(executor);
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void shutdownRacingCalls(String kind) throws Exception {
		for (int round = 0; round < 50; round++) {
			OffloadExecutor executor = executor(kind, 4);
			CallLimiter limiter = limiter(executor);
			OffloadExecutors registry = this.registries.get(this.registries.size() - 1);
			OffloadCallSite site = Races.site(executor, Duration.ofMillis(20));
			List<CompletableFuture<?>> calls = Collections.synchronizedList(new ArrayList<>());
			CyclicBarrier start = new CyclicBarrier(2);
			Future<?> submitter = this.racers.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				for (int c = 0; c < 20; c++) {
					calls.add(Races.call(site, () -> {
						Thread.sleep(ThreadLocalRandom.current().nextInt(3));
						return "done";
					}));
				}
				return null;
			});
			Future<?> closer = this.racers.submit(() -> {
				start.await(5, TimeUnit.SECONDS);
				LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
				registry.close();
				return null;
			});
			submitter.get(5, TimeUnit.SECONDS);
			closer.get(10, TimeUnit.SECONDS);
			for (CompletableFuture<?> call : new ArrayList<>(calls)) {
				Races.failureOf(call);
			}
			awaitUntil("round " + round + ": no body in flight after close()",
					() -> limiter.getInFlight() == 0 && executor.getActiveCount() == 0);
			assertThat(limiter.getLimit()).isBetween(limiter.getMinLimit(), limiter.getMaxLimit());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void nestedCallsOnASaturatedExecutorRunInline(String kind) throws Exception {
		OffloadExecutor executor = executor(kind, 30);
		CallLimiter limiter = limiter(executor);
		limiter.setBounds(1, 1);
		DefaultOffloader offloader = new DefaultOffloader(this.registries.get(this.registries.size() - 1));
		List<CompletableFuture<String>> outers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			// Each body waits for a call to its own executor, whose only permit it holds.
			outers.add(offloader.call(() -> offloader.call(() -> "inner").get(5, TimeUnit.SECONDS)));
		}
		for (CompletableFuture<String> outer : outers) {
			assertThat(outer.get(10, TimeUnit.SECONDS)).isEqualTo("inner");
		}
		assertThat(executor.getNestedInlineCount()).isEqualTo(20);
		assertQuiescent(executor);
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void scopeMembersFailingFastRacingNewBounds(String kind) throws Exception {
		OffloadExecutor executor = executor(kind, 20);
		CallLimiter limiter = limiter(executor);
		DefaultOffloader offloader = new DefaultOffloader(this.registries.get(this.registries.size() - 1));
		for (int round = 0; round < 200; round++) {
			int failing = ThreadLocalRandom.current().nextInt(6);
			Future<?> resizer = this.racers.submit(() -> {
				limiter.setBounds(1, 1 + ThreadLocalRandom.current().nextInt(4));
				return null;
			});
			try (OffloadScope scope = offloader.scope(Duration.ofMillis(50))) {
				for (int m = 0; m < 6; m++) {
					int member = m;
					scope.call(() -> {
						if (member == failing) {
							throw new IllegalStateException("member " + member);
						}
						Thread.sleep(ThreadLocalRandom.current().nextInt(5));
						return member;
					});
				}
				Races.failureOf(scope.join());
				scope.released().get(5, TimeUnit.SECONDS);
			}
			resizer.get(5, TimeUnit.SECONDS);
		}
		assertQuiescent(executor);
	}

	/**
	 * Checks that nothing is left taken, then that the executor runs exactly its limit of
	 * calls at once: a permit or thread leaked or gained anywhere would show here.
	 */
	private static void assertQuiescent(OffloadExecutor executor) throws Exception {
		CallLimiter limiter = limiter(executor);
		awaitUntil("no body in flight, no thread or permit taken, nothing queued",
				() -> limiter.getInFlight() == 0 && executor.getActiveCount() == 0 && executor.getQueueSize() == 0);
		assertThat(limiter.getLimit()).isBetween(limiter.getMinLimit(), limiter.getMaxLimit());
		limiter.setBounds(3, 3);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch threeStarted = new CountDownLatch(3);
		CountDownLatch fourStarted = new CountDownLatch(4);
		AtomicInteger running = new AtomicInteger();
		OffloadCallSite site = Races.site(executor);
		List<OffloadCall<String>> probes = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				probes.add(Races.call(site, () -> {
					running.incrementAndGet();
					threeStarted.countDown();
					fourStarted.countDown();
					release.await(5, TimeUnit.SECONDS);
					return "probe";
				}));
			}
			assertThat(threeStarted.await(5, TimeUnit.SECONDS)).as("3 calls started at limit 3").isTrue();
			assertThat(fourStarted.await(100, TimeUnit.MILLISECONDS)).as("a 4th call started at limit 3").isFalse();
			assertThat(running.get()).isEqualTo(3);
			assertThat(executor.getQueueSize()).isOne();
		}
		finally {
			release.countDown();
		}
		for (OffloadCall<String> probe : probes) {
			assertThat(probe.get(5, TimeUnit.SECONDS)).isEqualTo("probe");
		}
		awaitUntil("the probes ended", () -> limiter.getInFlight() == 0 && executor.getActiveCount() == 0);
	}

	private static <T> T last(List<T> list) {
		synchronized (list) {
			return list.isEmpty() ? null : list.get(list.size() - 1);
		}
	}

	static void awaitUntil(String what, Supplier<Boolean> condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.get()) {
			assertThat(System.nanoTime() - deadline).as("still not true after 10 s: %s", what).isNegative();
			Thread.sleep(2);
		}
	}

}
