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
package dev.offload.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an adaptive executor must do against a simulated downstream ({@code C} permits, 20
 * ms of service, so a body's run time grows once more than {@code C} bodies call it),
 * built by the auto-configuration from its properties, on platform and on virtual
 * threads. Bounds and the ceiling on running bodies are sampled throughout each run
 * ({@link LimitSampler}); every wait is bounded, with room for a loaded 2-core machine.
 */
class AdaptiveLimitBehaviourTests {

	private static final Log logger = LogFactory.getLog(AdaptiveLimitBehaviourTests.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void limitFallsUnderOverloadAndTheDownstreamQueueShrinks(String kind) {
		SimulatedDownstream downstream = new SimulatedDownstream(4, 20);
		run(kind, downstream, List.of("initial-limit=40", "max-limit=100"), List.of("queue-capacity=100"),
				(executor, limiter, offloader) -> {
					try (LimitSampler sampler = new LimitSampler(executor, downstream);
							Callers callers = new Callers(48, offloader, downstream)) {
						awaitUntil("40 calls inside the downstream", Duration.ofSeconds(5),
								() -> downstream.inside() >= 30);
						double insideBefore = downstream.inside();
						long started = System.nanoTime();
						awaitUntil("the limit at most half its initial 40", Duration.ofSeconds(5),
								() -> limiter.getLimit() <= 20);
						long fellMillis = millisSince(started);
						Thread.sleep(1000);
						double insideAfter = sampler.mean(1000, LimitSampler.Sample::inside);
						report(kind + " overload", "limit 40 -> " + limiter.getLimit() + " in " + fellMillis
								+ " ms; downstream inside " + insideBefore + " -> " + insideAfter + " (mean of 1 s)");
						assertThat(insideAfter).as("mean calls inside the downstream once the limit fell")
							.isLessThanOrEqualTo(24);
						assertThat(callers.served.get()).isPositive();
						sampler.close();
						assertThat(sampler.violations()).as("bounds broken during the run").isEmpty();
					}
				});
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void limitRisesWithHeadroom(String kind) {
		SimulatedDownstream downstream = new SimulatedDownstream(100, 20);
		run(kind, downstream, List.of("initial-limit=2", "max-limit=200"), List.of("queue-capacity=100"),
				(executor, limiter, offloader) -> {
					try (LimitSampler sampler = new LimitSampler(executor, downstream);
							Callers callers = new Callers(48, offloader, downstream)) {
						long started = System.nanoTime();
						awaitUntil("the limit at least 3 times its initial 2", Duration.ofSeconds(5),
								() -> limiter.getLimit() >= 6);
						report(kind + " headroom",
								"limit 2 -> " + limiter.getLimit() + " in " + millisSince(started) + " ms");
						sampler.close();
						assertThat(sampler.violations()).as("bounds broken during the run").isEmpty();
					}
				});
	}

	@ParameterizedTest
	@ValueSource(strings = { "vegas", "gradient2", "aimd" })
	void limitFallsWhenCallsTimeOut(String algorithm) {
		SimulatedDownstream downstream = new SimulatedDownstream(100, 20);
		downstream.outage(true);
		run("platform", downstream, List.of("algorithm=" + algorithm, "initial-limit=20", "max-limit=50"),
				List.of("queue-capacity=100", "timeout=100ms"), (executor, limiter, offloader) -> {
					try (LimitSampler sampler = new LimitSampler(executor, downstream);
							Callers callers = new Callers(24, offloader, downstream)) {
						long started = System.nanoTime();
						awaitUntil(algorithm + ": the limit at most half its initial 20 as calls time out",
								Duration.ofSeconds(5), () -> limiter.getLimit() <= 10);
						report(algorithm + " drops", "limit 20 -> " + limiter.getLimit() + " in " + millisSince(started)
								+ " ms, " + callers.timedOut.get() + " timed out");
						assertThat(callers.served.get()).isZero();
						sampler.close();
						assertThat(sampler.violations()).as("bounds broken during the run").isEmpty();
					}
				});
	}

	@ParameterizedTest
	@ValueSource(strings = { "platform", "virtual" })
	void outageShedsLoadAndTheLimitRecovers(String kind) {
		SimulatedDownstream downstream = new SimulatedDownstream(8, 20);
		run(kind, downstream, List.of("initial-limit=20", "max-limit=100"),
				List.of("queue-capacity=10", "timeout=200ms"), (executor, limiter, offloader) -> {
					try (LimitSampler sampler = new LimitSampler(executor, downstream);
							Callers callers = new Callers(24, offloader, downstream)) {
						Thread.sleep(4000);
						double before = sampler.mean(1000, LimitSampler.Sample::limit);
						long rejectedBefore = callers.rejected.get();

						downstream.outage(true);
						Thread.sleep(5000);
						int lowest = sampler.minLimit(4000);
						int activeAtEnd = executor.getActiveCount();
						long rejectedDuring = callers.rejected.get() - rejectedBefore;
						assertThat(lowest).as("lowest limit during the outage (min-limit 1)").isLessThanOrEqualTo(3);
						assertThat(rejectedDuring).as("calls rejected at once during the outage").isGreaterThan(100);
						assertThat(activeAtEnd).as("bodies holding a thread at the end of the outage, of 24 callers")
							.isLessThanOrEqualTo(8);

						downstream.outage(false);
						long back = System.nanoTime();
						awaitUntil("the limit within 20 % of its " + before + " before the outage",
								Duration.ofSeconds(15), () -> limiter.getLimit() >= 0.8 * before);
						report(kind + " outage", "limit before " + before + ", lowest " + lowest + ", " + rejectedDuring
								+ " rejected during the outage, " + activeAtEnd + " running at its end, back to "
								+ limiter.getLimit() + " in " + millisSince(back) + " ms");
						sampler.close();
						assertThat(sampler.violations()).as("bounds broken during the run").isEmpty();
					}
				});
	}

	private void run(String kind, SimulatedDownstream downstream, List<String> adaptive, List<String> executorKeys,
			Scenario scenario) {
		boolean virtual = "virtual".equals(kind);
		if (virtual) {
			Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
		}
		List<String> properties = new ArrayList<>();
		properties.add("offload.executors.db.virtual=" + virtual);
		properties.add("offload.executors.db.adaptive.enabled=true");
		adaptive.forEach((key) -> properties.add("offload.executors.db.adaptive." + key));
		executorKeys.forEach((key) -> properties.add("offload.executors.db." + key));
		this.contextRunner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasNotFailed();
			OffloadExecutor executor = context.getBean(OffloadExecutors.class).get("db");
			CallLimiter limiter = executor.getLimiter();
			assertThat(limiter).isNotNull();
			scenario.run(executor, limiter, context.getBean(Offloader.class).executor("db"));
			awaitUntil("no body in flight once the callers stopped", Duration.ofSeconds(10),
					() -> limiter.getInFlight() == 0 && executor.getActiveCount() == 0);
			assertThat(limiter.getLimit()).isBetween(limiter.getMinLimit(), limiter.getMaxLimit());
		});
	}

	static void awaitUntil(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("still not true after %s: %s", bound, what).isNegative();
			Thread.sleep(10);
		}
	}

	private static long millisSince(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
	}

	private static void report(String scenario, String figures) {
		logger.info("[adaptive] " + scenario + ": " + figures);
	}

	@FunctionalInterface
	interface Scenario {

		void run(OffloadExecutor executor, CallLimiter limiter, Offloader offloader) throws Exception;

	}

}
