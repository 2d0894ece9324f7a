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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Timeouts and cancellations at scale: thousands of calls that time out or are cancelled
 * leave no worker stuck and, on a virtual executor, no permit lost.
 */
class TimeoutAtScaleReliabilityTests {

	private static final int CALLS = 5000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class));

	@Test
	void thousandsOfTimeoutsAndCancellationsLeaveNoWorkerStuck() {
		this.contextRunner
			.withPropertyValues("offload.executors.pool.core-size=4", "offload.executors.pool.queue-capacity=10000")
			.run((context) -> {
				OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("pool");
				Offloader pool = context.getBean(Offloader.class).executor("pool");
				Map<OffloadOutcome, Integer> outcomes = timeOutAndCancel(pool.timeout(Duration.ofMillis(2)), pool);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> executor.getActiveCount() == 0 && executor.getInFlightCount() == 0);
				int concurrent = maxConcurrency(pool, 4);
				Load.report("timeouts at scale (platform, 4 threads)",
						"submitted=" + CALLS + " outcomes=" + outcomes + " afterwards: active="
								+ executor.getActiveCount() + ", 4 new blocking calls ran " + concurrent + " at once");
				assertThat(outcomes.get(OffloadOutcome.TIMEOUT) + outcomes.get(OffloadOutcome.CANCELLED))
					.isEqualTo(CALLS);
				assertThat(concurrent).isEqualTo(4);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void thousandsOfTimeoutsAndCancellationsLoseNoPermitOfAVirtualExecutor() {
		this.contextRunner
			.withPropertyValues("offload.executors.vt.virtual=true", "offload.executors.vt.max-concurrency=10",
					"offload.executors.vt.queue-capacity=10000")
			.run((context) -> {
				OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("vt");
				Offloader vt = context.getBean(Offloader.class).executor("vt");
				Map<OffloadOutcome, Integer> outcomes = timeOutAndCancel(vt.timeout(Duration.ofMillis(2)), vt);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> executor.getActiveCount() == 0 && executor.getInFlightCount() == 0);
				int concurrent = maxConcurrency(vt, 30);
				Load.report("timeouts at scale (virtual, max-concurrency 10)", "submitted=" + CALLS + " outcomes="
						+ outcomes + " afterwards: 30 new blocking calls ran at most " + concurrent + " at once");
				assertThat(outcomes.get(OffloadOutcome.TIMEOUT) + outcomes.get(OffloadOutcome.CANCELLED))
					.isEqualTo(CALLS);
				assertThat(concurrent).isEqualTo(10);
			});
	}

	/**
	 * Half the calls time out while running or queued; the other half are cancelled by
	 * the caller, running or queued.
	 */
	private static Map<OffloadOutcome, Integer> timeOutAndCancel(Offloader withTimeout, Offloader plain)
			throws Exception {
		List<CompletableFuture<?>> futures = new ArrayList<>();
		for (int i = 0; i < CALLS; i++) {
			if (i % 2 == 0) {
				futures.add(withTimeout.call(() -> {
					Thread.sleep(10_000);
					return "never";
				}));
			}
			else {
				CompletableFuture<String> future = plain.call(() -> {
					Thread.sleep(10_000);
					return "never";
				});
				futures.add(future);
				future.cancel(true);
			}
		}
		return Load.outcomes(futures, Duration.ofSeconds(30));
	}

	/**
	 * Runs {@code calls} bodies that each wait until all are running (or 1 s passes) and
	 * returns the most that ran at once: the executor's real limit after the storm.
	 */
	private static int maxConcurrency(Offloader offloader, int calls) throws Exception {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger max = new AtomicInteger();
		CountDownLatch all = new CountDownLatch(calls);
		List<CompletableFuture<?>> futures = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			futures.add(offloader.call(() -> {
				max.accumulateAndGet(running.incrementAndGet(), Math::max);
				all.countDown();
				all.await(1, TimeUnit.SECONDS);
				running.decrementAndGet();
				return null;
			}));
		}
		for (CompletableFuture<?> future : futures) {
			future.get(30, TimeUnit.SECONDS);
		}
		return max.get();
	}

}
