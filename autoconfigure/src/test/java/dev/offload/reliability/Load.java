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

package dev.offload.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.offload.executor.OffloadOutcome;

/**
 * Shared helpers of the reliability suite: bounded load generation and outcome
 * accounting.
 */
final class Load {

	private static final Log logger = LogFactory.getLog("dev.offload.reliability");

	private Load() {
	}

	/**
	 * Runs {@code callers} threads, each making {@code callsPerCaller} calls, and waits
	 * (bounded) for all of their futures.
	 */
	static List<CompletableFuture<?>> fromCallers(int callers, int callsPerCaller, CallMaker maker) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		List<CompletableFuture<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int caller = 0; caller < callers; caller++) {
				int callerIndex = caller;
				done.add(pool.submit(() -> {
					for (int call = 0; call < callsPerCaller; call++) {
						all.add(maker.make(callerIndex, call));
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		return all;
	}

	/**
	 * Waits for every future (bounded) and counts how each ended, as the caller sees it.
	 */
	static Map<OffloadOutcome, Integer> outcomes(List<? extends CompletableFuture<?>> futures, Duration bound)
			throws InterruptedException {
		Map<OffloadOutcome, Integer> counts = new EnumMap<>(OffloadOutcome.class);
		for (OffloadOutcome outcome : OffloadOutcome.values()) {
			counts.put(outcome, 0);
		}
		long deadline = System.nanoTime() + bound.toNanos();
		for (CompletableFuture<?> future : futures) {
			long remaining = Math.max(1, deadline - System.nanoTime());
			OffloadOutcome outcome;
			try {
				future.get(remaining, TimeUnit.NANOSECONDS);
				outcome = OffloadOutcome.SUCCESS;
			}
			catch (CancellationException ex) {
				outcome = OffloadOutcome.CANCELLED;
			}
			catch (ExecutionException ex) {
				outcome = (ex.getCause() instanceof TimeoutException) ? OffloadOutcome.TIMEOUT
						: (ex.getCause() instanceof RejectedExecutionException) ? OffloadOutcome.REJECTED
								: (ex.getCause() instanceof CancellationException) ? OffloadOutcome.CANCELLED
										: OffloadOutcome.ERROR;
			}
			catch (TimeoutException ex) {
				throw new AssertionError("A future was still incomplete after " + bound + ": " + future);
			}
			counts.merge(outcome, 1, Integer::sum);
		}
		return counts;
	}

	/**
	 * Busy work of about the given length that responds to interrupts.
	 */
	static void work(long micros) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
		while (System.nanoTime() < deadline) {
			if (Thread.interrupted()) {
				throw new InterruptedException("interrupted while working");
			}
			LockSupport.parkNanos(Math.min(100_000, deadline - System.nanoTime()));
		}
	}

	static int random(int bound) {
		return ThreadLocalRandom.current().nextInt(bound);
	}

	static void report(String scenario, Object figures) {
		logger.info("[reliability] " + scenario + ": " + figures);
	}

	static int count(Iterable<Thread> threads, String prefix) {
		AtomicInteger count = new AtomicInteger();
		threads.forEach((thread) -> {
			if (thread.getName().startsWith(prefix) && thread.isAlive()) {
				count.incrementAndGet();
			}
		});
		return count.get();
	}

	@FunctionalInterface
	interface CallMaker {

		CompletableFuture<?> make(int caller, int call) throws Exception;

	}

}
