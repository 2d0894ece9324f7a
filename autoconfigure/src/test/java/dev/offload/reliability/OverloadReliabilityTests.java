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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.autoconfigure.MetricsAutoConfigurations;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadMetricsAutoConfiguration;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Overload accounting: many callers push far more calls than a small bounded pool
 * accepts. Every future completes, each with one outcome that the {@code offload.calls}
 * meter counts alike, and the pool ends idle.
 */
class OverloadReliabilityTests {

	private static final int CALLERS = 8;

	private static final int CALLS_PER_CALLER = 500;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
		.withConfiguration(MetricsAutoConfigurations.registry())
		.withPropertyValues("offload.executors.small.core-size=2", "offload.executors.small.queue-capacity=20");

	@Test
	void everyCallEndsExactlyOnceAndThePoolEndsIdle() {
		this.contextRunner.run((context) -> {
			Offloader small = context.getBean(Offloader.class).executor("small");
			Offloader smallWithTimeout = small.timeout(Duration.ofMillis(3));
			long start = System.nanoTime();
			List<CompletableFuture<?>> futures = Load.fromCallers(CALLERS, CALLS_PER_CALLER, (caller, call) -> {
				switch (call % 10) {
					case 0:
						return small.call(() -> {
							throw new IllegalStateException("failing body");
						});
					case 1:
						CompletableFuture<?> cancelled = small.call(() -> {
							Load.work(500);
							return "cancelled?";
						});
						cancelled.cancel(true);
						return cancelled;
					case 2:
						return smallWithTimeout.call(() -> {
							Load.work(1000 + Load.random(6000));
							return "in time";
						});
					default:
						return small.call(() -> {
							Load.work(200 + Load.random(400));
							return "ok";
						});
				}
			});
			Map<OffloadOutcome, Integer> outcomes = Load.outcomes(futures, Duration.ofSeconds(30));
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("small");
			await().atMost(Duration.ofSeconds(5)).until(() -> executor.getActiveCount() == 0);
			Load.report("overload",
					"submitted=" + futures.size() + " outcomes=" + outcomes + " in " + millis
							+ " ms; afterwards active=" + executor.getActiveCount() + " queued="
							+ executor.getQueueSize() + " inFlight=" + executor.getInFlightCount() + " rejectedCount="
							+ executor.getRejectedCount() + " timedOutCount=" + executor.getTimedOutCount());
			assertThat(futures).hasSize(CALLERS * CALLS_PER_CALLER).allMatch(CompletableFuture::isDone);
			assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(futures.size());
			assertThat(outcomes.get(OffloadOutcome.REJECTED)).isPositive();
			assertThat(outcomes.get(OffloadOutcome.SUCCESS)).isPositive();
			assertThat(outcomes.get(OffloadOutcome.ERROR)).isPositive();
			assertThat(outcomes.get(OffloadOutcome.CANCELLED)).isPositive();
			// 3 ms timeouts on bodies of 1 to 7 ms, queue time included: some must
			// expire.
			assertThat(outcomes.get(OffloadOutcome.TIMEOUT)).isPositive();
			assertThat((long) outcomes.get(OffloadOutcome.REJECTED)).isEqualTo(executor.getRejectedCount());
			assertThat((long) outcomes.get(OffloadOutcome.TIMEOUT)).isEqualTo(executor.getTimedOutCount());
			// A call leaves the in-flight set just after its future completes.
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executor.getInFlightCount() == 0);
			assertThat(executor.getQueueSize()).isZero();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (OffloadOutcome outcome : OffloadOutcome.values()) {
				long counted = registry.find("offload.calls")
					.tags("executor", "small", "outcome", outcome.tagValue())
					.timers()
					.stream()
					.mapToLong(Timer::count)
					.sum();
				assertThat(counted).as("offload.calls{outcome=%s}", outcome.tagValue())
					.isEqualTo(outcomes.get(outcome).longValue());
			}
		});
	}

}
