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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadCancellation;
import dev.offload.OffloadCancellation.Registration;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Racing harnesses for cancel hooks: the stop of a call lands at a random moment of a
 * body that registers and removes hooks in a loop, as a body running one JDBC statement
 * after another does. Whatever the interleaving, a hook runs at most once, only while it
 * is registered (so a late cancel never reaches the next statement on the connection),
 * and a stop is never lost (the hook registered when it lands, or the next one, runs).
 */
class CancelHookRaceTests {

	private static final int CALLS = 1000;

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.registries.forEach(OffloadExecutors::close);
		assertThat(CancelHooks.size()).as("calls with hooks left behind").isZero();
	}

	private OffloadCallSite site(Duration timeout) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 2, 2, CALLS, Duration.ofSeconds(60),
				"hook-race-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		this.registries.add(new OffloadExecutors(List.of(executor), "pool"));
		return Races.site(executor, timeout);
	}

	/**
	 * Cancel against a hook being removed: a hook runs only inside its registration
	 * window, and at most once. (A body that goes on registering after the stop, before
	 * it sees its interrupt, has each new hook run at once: several per call.)
	 */
	@Test
	void hookRunsOnlyWhileRegisteredAndAtMostOnce() throws Exception {
		OffloadCallSite site = site(null);
		AtomicInteger outsideWindow = new AtomicInteger();
		AtomicInteger moreThanOnce = new AtomicInteger();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < CALLS; i++) {
			AtomicBoolean window = new AtomicBoolean();
			AtomicInteger runs = new AtomicInteger();
			CountDownLatch started = new CountDownLatch(1);
			OffloadCall<Integer> call = Races.call(site, () -> {
				started.countDown();
				int operations = 0;
				while (!Thread.currentThread().isInterrupted() && operations < 10_000) {
					window.set(true);
					AtomicInteger hookRuns = new AtomicInteger();
					try (Registration registration = OffloadCancellation.onCancel(() -> {
						if (!window.get()) {
							outsideWindow.incrementAndGet();
						}
						if (hookRuns.incrementAndGet() > 1) {
							moreThanOnce.incrementAndGet();
						}
						runs.incrementAndGet();
					})) {
						operations++;
					}
					finally {
						window.set(false);
					}
				}
				return operations;
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			spin(ThreadLocalRandom.current().nextInt(50));
			call.cancel(true);
			Races.failureOf(call);
			awaitBodyEnded(call);
			ran.addAndGet(runs.get());
		}
		assertThat(outsideWindow).as("hooks run outside their registration").hasValue(0);
		assertThat(moreThanOnce).as("hooks run twice").hasValue(0);
		assertThat(ran.get()).as("cancels that landed inside a registration").isPositive();
	}

	/**
	 * Cancel (or timeout) against a hook being registered: a body that ignores its
	 * interrupt and goes on registering always sees a hook run, whether the stop landed
	 * before, during or after a registration.
	 */
	@Test
	void stopRacingWithRegistrationIsNeverLost() throws Exception {
		OffloadCallSite cancelled = site(null);
		OffloadCallSite timed = site(Duration.ofMillis(1));
		AtomicInteger lost = new AtomicInteger();
		for (int i = 0; i < CALLS; i++) {
			boolean timeout = (i % 2 == 1);
			AtomicInteger runs = new AtomicInteger();
			CountDownLatch started = new CountDownLatch(1);
			OffloadCall<Boolean> call = Races.call(timeout ? timed : cancelled, () -> {
				started.countDown();
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
				while (runs.get() == 0 && System.nanoTime() < deadline) {
					OffloadCancellation.onCancel(runs::incrementAndGet).close();
				}
				return runs.get() > 0;
			});
			if (!timeout) {
				assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
				spin(ThreadLocalRandom.current().nextInt(50));
				call.cancel(true);
			}
			Races.failureOf(call);
			awaitBodyEnded(call);
			if (call.hasStarted() && runs.get() != 1) {
				lost.incrementAndGet();
			}
		}
		assertThat(lost).as("stops that no hook saw, or saw twice").hasValue(0);
	}

	private static void spin(int micros) {
		long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	private static void awaitBodyEnded(OffloadCall<?> call) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (call.isBodyRunning()) {
			assertThat(System.nanoTime()).as("the body, still running after 5 s").isLessThan(deadline);
			Thread.yield();
		}
	}

}
