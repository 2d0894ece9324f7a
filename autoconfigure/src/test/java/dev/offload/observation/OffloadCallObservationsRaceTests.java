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

package dev.offload.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.OffloadCall;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadCallSite.TaskKind;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever decides a call's outcome (its body, its timeout, the caller's {@code cancel}
 * or {@code completeExceptionally}), racing each other, the call's observation is started
 * once and stopped exactly once, with the outcome that won, and its scope is closed as
 * often as it was opened.
 */
class OffloadCallObservationsRaceTests {

	private static final int ROUNDS = 300;

	private final CountingHandler handler = new CountingHandler();

	private final ExecutorService racers = Executors.newFixedThreadPool(2);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.racers.shutdownNow();
		this.registries.forEach(OffloadExecutors::close);
	}

	private OffloadCallSite site(int threads, Duration timeout) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("race", threads, threads, ROUNDS * 2,
				Duration.ofSeconds(60), "race-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors executors = new OffloadExecutors(List.of(executor), "race");
		this.registries.add(executors);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(this.handler);
		executors.setCallObserver(new OffloadCallObservations(registry));
		return new OffloadCallSite(executor, timeout.toNanos(), "dev.offload.race.Race", "call", "Race.call()", false,
				TaskKind.CALLABLE);
	}

	@Test
	void bodyCancelAndTimeoutRacingStopTheObservationOnce() throws Exception {
		OffloadCallSite site = site(1, Duration.ZERO);
		for (int round = 0; round < ROUNDS; round++) {
			CyclicBarrier start = new CyclicBarrier(3);
			OffloadCall<String> call = site.submit((Callable<String>) () -> {
				start.await(5, TimeUnit.SECONDS);
				return "done";
			});
			Future<?> cancel = this.racers.submit(() -> {
				await(start);
				call.cancel(true);
			});
			Future<?> timeout = this.racers.submit(() -> {
				await(start);
				call.completeExceptionally(new TimeoutException("raced"));
			});
			cancel.get(5, TimeUnit.SECONDS);
			timeout.get(5, TimeUnit.SECONDS);
			awaitDone(call);
		}
		// Closing waits for the bodies still running, so that every scope is closed.
		this.registries.forEach(OffloadExecutors::close);
		this.handler.assertEachStartedAndStoppedOnce(ROUNDS);
	}

	@Test
	void timeoutsRacingWorkersStopTheObservationOnce() throws Exception {
		OffloadCallSite site = site(2, Duration.ofMillis(1));
		List<OffloadCall<String>> calls = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			long work = ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(2));
			calls.add(site.submit((Callable<String>) () -> {
				LockSupport.parkNanos(work);
				return "done";
			}));
		}
		for (OffloadCall<String> call : calls) {
			awaitDone(call);
		}
		// Closing waits for the bodies still running, so that every scope is closed.
		this.registries.forEach(OffloadExecutors::close);
		this.handler.assertEachStartedAndStoppedOnce(ROUNDS);
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitDone(CompletableFuture<?> future) {
		try {
			future.get(5, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new AssertionError("The call was still pending after 5 s: " + future);
		}
		catch (Exception ex) {
			// Any outcome will do: the race decides it.
		}
	}

	/**
	 * Counts the callbacks of every observation of a call.
	 */
	static final class CountingHandler implements ObservationHandler<OffloadObservationContext> {

		private final Map<OffloadObservationContext, int[]> counts = new ConcurrentHashMap<>();

		private int[] counts(OffloadObservationContext context) {
			return this.counts.computeIfAbsent(context, (key) -> new int[4]);
		}

		@Override
		public void onStart(OffloadObservationContext context) {
			increment(context, 0);
		}

		@Override
		public void onStop(OffloadObservationContext context) {
			increment(context, 1);
		}

		@Override
		public void onScopeOpened(OffloadObservationContext context) {
			increment(context, 2);
		}

		@Override
		public void onScopeClosed(OffloadObservationContext context) {
			increment(context, 3);
		}

		private void increment(OffloadObservationContext context, int index) {
			int[] counts = counts(context);
			synchronized (counts) {
				counts[index]++;
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof OffloadObservationContext;
		}

		void assertEachStartedAndStoppedOnce(int calls) {
			assertThat(this.counts).hasSize(calls);
			this.counts.forEach((context, counts) -> {
				synchronized (counts) {
					assertThat(counts[0]).as("starts of %s", context).isOne();
					assertThat(counts[1]).as("stops of %s", context).isOne();
					assertThat(counts[3]).as("scope closes of %s", context).isEqualTo(counts[2]);
				}
				OffloadOutcome outcome = context.getOutcome();
				assertThat(outcome).as("outcome of %s", context).isNotNull();
				assertThat(context.getLowCardinalityKeyValue("outcome")).isNotNull();
			});
		}

	}

}
