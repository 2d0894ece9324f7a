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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.offload.context.ContextPropagator;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races between {@code close()} and the calls it must wait for: when {@code close()}
 * returns, every future the starter handed out is done, and no body of a call whose
 * {@code submit} began before {@code close()} runs after it.
 */
class ShutdownRaceTests {

	private final List<ExecutorService> pools = new ArrayList<>();

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void shutDown() throws InterruptedException {
		this.registries.forEach(OffloadExecutors::close);
		for (ExecutorService pool : this.pools) {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	private ExecutorService pool(int threads, String prefix) {
		ExecutorService pool = Executors.newFixedThreadPool(threads, new CustomizableThreadFactory(prefix));
		this.pools.add(pool);
		return pool;
	}

	private OffloadExecutors registry(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return registry;
	}

	private static BeanOffloadExecutor bean(ExecutorService pool, Duration awaitTermination) {
		return new BeanOffloadExecutor("bean", "raceExecutor", pool, null, awaitTermination, ContextPropagator.NONE);
	}

	/**
	 * Item 1, deterministic: the listener is told before the future completes; while it
	 * is slow, the call must still count as in flight, or {@code close()} of a
	 * {@code bean:} executor (whose threads are not ours to wait for) returns at once.
	 */
	@Test
	void closeOfBeanExecutorWaitsForAFutureWhoseListenerIsSlow() throws Exception {
		CountDownLatch listenerEntered = new CountDownLatch(1);
		BeanOffloadExecutor executor = bean(pool(1, "race-bean-"), Duration.ofSeconds(2));
		executor.setCallListener(slowOn(OffloadOutcome.SUCCESS, listenerEntered, 300));
		OffloadExecutors registry = registry(executor);
		OffloadCall<String> call = Races.call(Races.site(executor), () -> "done");
		assertThat(listenerEntered.await(5, TimeUnit.SECONDS)).isTrue();
		registry.close();
		assertThat(call).as("future when close() returned").isDone();
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	/**
	 * Item 1, deterministic: a queued call times out while the application closes; its
	 * future is completed on the timeout thread, slowly, and {@code close()} of a
	 * platform pool (terminated, nothing left in flight) must still wait for it.
	 */
	@Test
	void closeOfPlatformPoolWaitsForAQueuedCallTimingOutDuringClose() throws Exception {
		CountDownLatch listenerEntered = new CountDownLatch(1);
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 1, 1, 10, Duration.ofSeconds(60),
				"race-pool-", null, Duration.ofSeconds(2), ContextPropagator.NONE);
		executor.setCallListener(slowOn(OffloadOutcome.TIMEOUT, listenerEntered, 500));
		OffloadExecutors registry = registry(executor);
		CountDownLatch blockerStarted = new CountDownLatch(1);
		CountDownLatch releaseBlocker = new CountDownLatch(1);
		OffloadCall<String> blocker = Races.call(Races.site(executor), () -> {
			blockerStarted.countDown();
			releaseBlocker.await(5, TimeUnit.SECONDS);
			return "blocker";
		});
		assertThat(blockerStarted.await(5, TimeUnit.SECONDS)).isTrue();
		OffloadCall<String> queued = Races.call(Races.site(executor, Duration.ofMillis(50)), () -> "queued");
		assertThat(listenerEntered.await(5, TimeUnit.SECONDS)).isTrue();
		releaseBlocker.countDown();
		assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo("blocker");
		registry.close();
		assertThat(queued).as("future of the call that timed out in the queue, when close() returned").isDone();
		assertThat(Races.failureOf(queued)).isInstanceOf(java.util.concurrent.TimeoutException.class);
	}

	/**
	 * Item 1, racing harness: calls complete on the bean's threads while {@code close()}
	 * runs; not one future may be incomplete when it returns. Today thousands of the
	 * 60,000 are (the issue saw thousands of 12,000).
	 */
	@Test
	void closeOfBeanExecutorNeverReturnsBeforeEveryFutureIsDone() throws Exception {
		ExecutorService pool = pool(4, "race-bean-");
		MeterRegistry meters = new SimpleMeterRegistry();
		int rounds = 1000;
		int callsPerRound = 60;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		int incomplete = 0;
		int submitted = 0;
		int round = 0;
		for (; round < rounds && System.nanoTime() < deadline; round++) {
			BeanOffloadExecutor executor = bean(pool, Duration.ofSeconds(2));
			OffloadExecutors registry = new OffloadExecutors(List.of(executor), "bean");
			// The meters, as in an application: the listener is told before the future
			// completes.
			new OffloadMetrics(registry).bindTo(meters);
			OffloadCallSite site = Races.site(executor);
			List<OffloadCall<Integer>> calls = new ArrayList<>(callsPerRound);
			for (int i = 0; i < callsPerRound; i++) {
				int value = i;
				calls.add(site.submit((Callable<Integer>) () -> value));
			}
			submitted += callsPerRound;
			registry.close();
			for (OffloadCall<Integer> call : calls) {
				if (!call.isDone()) {
					incomplete++;
				}
			}
			for (OffloadCall<Integer> call : calls) {
				Races.failureOf(call);
			}
		}
		assertThat(incomplete).as("futures incomplete when close() returned, of %d in %d rounds", submitted, round)
			.isZero();
		long counted = 0;
		for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < until;) {
			counted = meters.get(OffloadMetrics.CALLS).timers().stream().mapToLong(Timer::count).sum();
			if (counted == submitted) {
				break;
			}
			Thread.onSpinWait();
		}
		assertThat(counted).as("offload.calls").isEqualTo(submitted);
	}

	/**
	 * Item 2, racing harness: {@code submit} and {@code close()} start together, lined up
	 * by two threads spinning on one counter, each then waiting a random few spins. A
	 * call whose {@code submit} began before {@code close()} may run, but only before
	 * {@code close()} returns (then {@code close()} waited for it) or not at all
	 * (rejected); a {@code bean:} executor would otherwise run it on the owner's threads
	 * after {@code close()} returned. No seam sits between the shutdown check and the
	 * in-flight set, so there is no deterministic version.
	 */
	@Test
	void callSubmittedWhileCloseRunsNeverRunsAfterCloseReturned() throws Exception {
		ExecutorService pool = pool(2, "race-bean-");
		int iterations = 5000;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		AtomicInteger ranAfterClose = new AtomicInteger();
		AtomicInteger go = new AtomicInteger();
		AtomicInteger submittedUpTo = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		OffloadCallSite[] sites = new OffloadCallSite[1];
		AtomicBoolean[] closeReturned = new AtomicBoolean[1];
		@SuppressWarnings("unchecked")
		OffloadCall<String>[] calls = new OffloadCall[1];
		int[] submitterSpins = new int[1];
		Thread submitter = new Thread(() -> {
			for (int expected = 1; !stop.get(); expected++) {
				while (go.get() < expected) {
					if (stop.get()) {
						return;
					}
					Thread.onSpinWait();
				}
				spin(submitterSpins[0]);
				AtomicBoolean closed = closeReturned[0];
				calls[0] = sites[0].submit((Callable<String>) () -> {
					if (closed.get()) {
						ranAfterClose.incrementAndGet();
					}
					return "ran";
				});
				submittedUpTo.set(expected);
			}
		}, "race-submitter");
		submitter.setDaemon(true);
		submitter.start();
		int accepted = 0;
		int iteration = 0;
		try {
			for (; iteration < iterations && System.nanoTime() < deadline; iteration++) {
				BeanOffloadExecutor executor = bean(pool, Duration.ofSeconds(2));
				OffloadExecutors registry = new OffloadExecutors(List.of(executor), "bean");
				sites[0] = Races.site(executor);
				AtomicBoolean closed = new AtomicBoolean();
				closeReturned[0] = closed;
				int offset = ThreadLocalRandom.current().nextInt(-150, 150);
				submitterSpins[0] = Math.max(0, offset);
				go.incrementAndGet();
				spin(Math.max(0, -offset));
				registry.close();
				closed.set(true);
				long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (submittedUpTo.get() < iteration + 1) {
					assertThat(System.nanoTime()).as("submitter stuck").isLessThan(waitUntil);
					Thread.onSpinWait();
				}
				if (Races.failureOf(calls[0]) == null) {
					accepted++;
				}
			}
		}
		finally {
			stop.set(true);
			submitter.join(5000);
		}
		assertThat(ranAfterClose.get())
			.as("bodies that ran after close() returned, of %d races (%d accepted)", iteration, accepted)
			.isZero();
	}

	/**
	 * Item 9: a closing thread that is already interrupted still gives running calls
	 * their await-termination, leaves no future incomplete, and keeps its interrupt flag.
	 */
	@Test
	void closeOnAnInterruptedThreadStillGivesRunningCallsTheirAwaitTermination() throws Exception {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 1, 1, 10, Duration.ofSeconds(60),
				"race-pool-", null, Duration.ofSeconds(3), ContextPropagator.NONE);
		OffloadExecutors registry = registry(executor);
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean bodyInterrupted = new AtomicBoolean();
		OffloadCall<String> running = Races.call(Races.site(executor), () -> {
			started.countDown();
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
			while (System.nanoTime() < end) {
				if (Thread.interrupted()) {
					bodyInterrupted.set(true);
					throw new InterruptedException();
				}
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
			}
			return "finished";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		boolean keptInterrupt;
		Thread.currentThread().interrupt();
		try {
			registry.close();
		}
		finally {
			keptInterrupt = Thread.interrupted();
		}
		assertThat(keptInterrupt).as("interrupt flag of the closing thread").isTrue();
		assertThat(running).isDone();
		assertThat(Races.failureOf(running)).as("failure of the call running within its await-termination").isNull();
		assertThat(bodyInterrupted).as("body interrupted within its await-termination").isFalse();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
	}

	private static OffloadCallListener slowOn(OffloadOutcome slowOutcome, CountDownLatch entered, long millis) {
		return new OffloadCallListener() {

			@Override
			public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
				if (outcome == slowOutcome) {
					entered.countDown();
					// A slow listener (a meter registry under contention, a lock),
					// bounded
					// and deaf to interrupts, as a monitor is.
					long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
					boolean interrupted = false;
					for (long left = millis; left > 0; left = deadline - System.nanoTime()) {
						java.util.concurrent.locks.LockSupport.parkNanos(deadline - System.nanoTime());
						interrupted |= Thread.interrupted();
					}
					if (interrupted) {
						Thread.currentThread().interrupt();
					}
				}
			}

		};
	}

	private static void spin(int spins) {
		for (int i = 0; i < spins; i++) {
			Thread.onSpinWait();
		}
	}

}
