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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Timeouts: the one timeout thread only triggers, so a caller's slow callback cannot
 * delay anyone else's timeout, and what a timeout says about the call is what happened.
 */
class TimeoutRaceTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private PlatformOffloadExecutor pool(int threads) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", threads, threads, 100,
				Duration.ofSeconds(60), "race-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registries.add(new OffloadExecutors(List.of(executor), "pool"));
		return executor;
	}

	/**
	 * Item 7: a caller attaches a slow dependent stage (no executor) to a future that
	 * times out; another call's timeout must still fire on time.
	 */
	@Test
	void slowCallbackOnATimedOutFutureDoesNotDelayOtherTimeouts() throws Exception {
		PlatformOffloadExecutor executor = pool(2);
		CountDownLatch otherTimedOut = new CountDownLatch(1);
		CountDownLatch callbackEntered = new CountDownLatch(1);
		AtomicReference<Thread> callbackThread = new AtomicReference<>();
		OffloadCall<String> slow = Races.call(Races.site(executor, Duration.ofMillis(100)), () -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "late";
		});
		slow.exceptionally((ex) -> {
			callbackThread.set(Thread.currentThread());
			callbackEntered.countDown();
			try {
				// A slow callback: it ends when the other call has timed out, or after 3
				// s.
				otherTimedOut.await(3, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex2) {
				Thread.currentThread().interrupt();
			}
			return "fallback";
		});
		long start = System.nanoTime();
		OffloadCall<String> other = Races.call(Races.site(executor, Duration.ofMillis(300)), () -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "late";
		});
		assertThat(callbackEntered.await(5, TimeUnit.SECONDS)).isTrue();
		try {
			assertThatExceptionOfType(ExecutionException.class).as("the other call, 2 s after it was made")
				.isThrownBy(() -> other.get(2, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
		}
		finally {
			otherTimedOut.countDown();
		}
		assertThat(callbackThread.get().getName()).as("thread of the caller's callback")
			.doesNotStartWith("offload-timeout-");
	}

	/**
	 * Item 9, racing harness: a timeout that fires just as a worker takes the call. Its
	 * message says whether the body ran; it must not say "it will not run" of a body that
	 * ran. The message is decided on the timeout thread between two statements of the
	 * runtime, so there is no seam for a deterministic version; instead the race is lined
	 * up: a pilot call with the same timeout, queued just before, times out first, and
	 * its listener (on the timeout thread today) frees the only worker and waits until it
	 * has left the gate, so the worker takes the call from the queue just as the timeout
	 * thread turns to it. A long call description (it goes into the message) widens the
	 * window.
	 */
	@Test
	void timeoutMessageNeverSaysABodyThatRanWillNotRun() throws Exception {
		PlatformOffloadExecutor executor = pool(1);
		OffloadCallSite idle = Races.site(executor);
		String longDescription = "Race.call(" + "x".repeat(512 * 1024) + ")";
		AtomicReference<AtomicBoolean> go = new AtomicReference<>(new AtomicBoolean());
		AtomicReference<AtomicBoolean> gone = new AtomicReference<>(new AtomicBoolean());
		AtomicReference<OffloadCallSite> pilotSite = new AtomicReference<>();
		AtomicInteger lagNanos = new AtomicInteger();
		executor.setCallListener(new OffloadCallListener() {

			@Override
			public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
				if (site == pilotSite.get()) {
					go.get().set(true);
					// Wait (bounded) until the worker has left the gate, so that the two
					// threads start level whatever the scheduler did, then lag a little.
					AtomicBoolean workerLeft = gone.get();
					long bound = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
					while (!workerLeft.get() && System.nanoTime() < bound) {
						Thread.onSpinWait();
					}
					long until = System.nanoTime() + lagNanos.get();
					while (System.nanoTime() < until) {
						Thread.onSpinWait();
					}
				}
			}

		});
		int iterations = 1500;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		int wrong = 0;
		int timedOutBeforeStart = 0;
		int timedOutWhileRunning = 0;
		int iteration = 0;
		for (; iteration < iterations && System.nanoTime() < deadline; iteration++) {
			AtomicBoolean ran = new AtomicBoolean();
			AtomicBoolean free = new AtomicBoolean();
			AtomicBoolean left = new AtomicBoolean();
			go.set(free);
			gone.set(left);
			lagNanos.set(ThreadLocalRandom.current().nextInt(0, 1_000));
			long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(1);
			OffloadCallSite pilot = new OffloadCallSite(executor, timeoutNanos, "dev.offload.race.Race", "pilot",
					"Race.pilot()", false, OffloadCallSite.TaskKind.CALLABLE);
			pilotSite.set(pilot);
			OffloadCallSite site = new OffloadCallSite(executor, timeoutNanos, "dev.offload.race.Race", "call",
					longDescription, false, OffloadCallSite.TaskKind.CALLABLE);
			long gateEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
			Races.call(idle, () -> {
				while (!free.get() && System.nanoTime() < gateEnd) {
					Thread.onSpinWait();
				}
				left.set(true);
				return "gate";
			});
			OffloadCall<String> pilotCall = Races.call(pilot, () -> "pilot");
			OffloadCall<String> call = Races.call(site, () -> {
				ran.set(true);
				try {
					this.release.await(20, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					// the timeout
				}
				return "finished";
			});
			Throwable failure = Races.failureOf(call);
			Races.failureOf(pilotCall);
			// The only worker is free once this has run: the body above, if any, ended.
			Races.call(idle, () -> "idle").get(5, TimeUnit.SECONDS);
			if (failure instanceof TimeoutException) {
				boolean saysNotRun = failure.getMessage().endsWith("(it will not run)");
				if (saysNotRun) {
					timedOutBeforeStart++;
				}
				else {
					timedOutWhileRunning++;
				}
				if (saysNotRun == ran.get()) {
					wrong++;
				}
			}
		}
		assertThat(timedOutBeforeStart + timedOutWhileRunning).as("timed out, of %d", iteration).isPositive();
		assertThat(wrong)
			.as("timeout messages that misstate whether the body ran, of %d (%d before start, %d while " + "running)",
					iteration, timedOutBeforeStart, timedOutWhileRunning)
			.isZero();
	}

}
