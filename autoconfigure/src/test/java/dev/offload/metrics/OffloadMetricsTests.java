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

package dev.offload.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.offload.Offloader;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.BlockingBody;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadCallSite.TaskKind;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.limit.AdaptiveLimiter;
import dev.offload.limit.DropExceptions;
import dev.offload.limit.LimitAlgorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadMetrics}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadMetricsTests {

	private static final String OFFLOADER = "dev.offload.Offloader";

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private static PlatformOffloadExecutor platform(String name, int size, int queueCapacity) {
		return new PlatformOffloadExecutor(name, size, size, queueCapacity, Duration.ofSeconds(60),
				"offload-" + name + "-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	private OffloadExecutors bind(OffloadExecutor... executors) {
		OffloadExecutors offloadExecutors = registry(executors);
		new OffloadMetrics(offloadExecutors).bindTo(this.registry);
		return offloadExecutors;
	}

	private OffloadExecutors registry(OffloadExecutor... executors) {
		OffloadExecutors offloadExecutors = new OffloadExecutors(List.of(executors), executors[0].getName());
		this.registries.add(offloadExecutors);
		return offloadExecutors;
	}

	private Callable<String> blocking(CountDownLatch started) {
		return BlockingBody.until(this.release).countingDown(started);
	}

	private Timer calls(String executor, String className, String method, OffloadOutcome outcome) {
		return this.registry.get("offload.calls")
			.tags("executor", executor, "class", className, "method", method, "outcome", outcome.tagValue())
			.timer();
	}

	private void assertCountedOnce(String executor, String className, String method, OffloadOutcome outcome) {
		for (OffloadOutcome other : OffloadOutcome.values()) {
			assertThat(calls(executor, className, method, other).count()).as(other.tagValue())
				.isEqualTo((other == outcome) ? 1 : 0);
		}
	}

	@Test
	void successIsCountedOnceWithOffloaderTags() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 2, 10)));
		assertThat(offloader.call(() -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
		offloader.run(() -> {
		}).get(5, TimeUnit.SECONDS);
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.SUCCESS);
		assertCountedOnce("io", OFFLOADER, "run", OffloadOutcome.SUCCESS);
	}

	@Test
	void callSiteIsTaggedWithItsDeclaringClassAndMethod() throws Exception {
		OffloadExecutors executors = bind(platform("io", 2, 10));
		OffloadCallSite site = new OffloadCallSite(executors.get("io"), 0, "com.example.Reports", "render",
				"Reports.render()", false, TaskKind.CALLABLE);
		Callable<String> task = () -> "report";
		assertThat(site.<String>submit(task).get(5, TimeUnit.SECONDS)).isEqualTo("report");
		assertThat(site.<String>submit(task).get(5, TimeUnit.SECONDS)).isEqualTo("report");
		assertThat(calls("io", "com.example.Reports", "render", OffloadOutcome.SUCCESS).count()).isEqualTo(2);
		assertThat(this.registry.get("offload.calls").timers()).hasSize(OffloadOutcome.values().length);
	}

	@Test
	void errorIsCountedOnce() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 2, 10)));
		CompletableFuture<String> future = offloader.call(() -> {
			throw new IllegalStateException("boom");
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.ERROR);
	}

	@Test
	void timeoutIsCountedOnce() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 2, 10)));
		CompletableFuture<String> future = offloader.timeout(Duration.ofMillis(50))
			.call(blocking(new CountDownLatch(1)));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.TIMEOUT);
	}

	@Test
	void cancelledIsCountedOnce() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 2, 10)));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> future = offloader.call(blocking(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.cancel(true)).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.CANCELLED);
	}

	@Test
	void rejectedIsCountedOnce() throws Exception {
		OffloadExecutors executors = bind(platform("io", 1, 0));
		DefaultOffloader offloader = new DefaultOffloader(executors);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> first = offloader.call(blocking(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> rejected = offloader.run(() -> {
		});
		assertThat(rejected).isCompletedExceptionally();
		assertCountedOnce("io", OFFLOADER, "run", OffloadOutcome.REJECTED);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.SUCCESS);
		assertThat(this.registry.get("offload.wait").tag("executor", "io").timer().count()).isEqualTo(1);
	}

	@Test
	void waitGrowsWhenThePoolIsSaturated() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 1, 10)));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> first = offloader.call(blocking(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> queued = offloader.call(() -> "queued");
		long queuedAt = System.nanoTime();
		assertThat(this.registry.get("executor.queued").tag("name", "offload.io").gauge().value()).isEqualTo(1);
		// Let measurable time pass while the second call is queued behind the first.
		await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - queuedAt >= 50_000_000L);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
		Timer wait = this.registry.get("offload.wait").tag("executor", "io").timer();
		assertThat(wait.count()).isEqualTo(2);
		assertThat(wait.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
	}

	@Test
	void platformGaugesReadThePoolWhileCallsAreBlocked() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 3, 10)));
		CountDownLatch started = new CountDownLatch(3);
		List<CompletableFuture<String>> futures = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			futures.add(offloader.call(blocking(started)));
		}
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(gauge("executor.active", "io")).isEqualTo(3);
		assertThat(gauge("executor.queued", "io")).isEqualTo(2);
		assertThat(gauge("executor.queue.remaining", "io")).isEqualTo(8);
		assertThat(gauge("executor.pool.size", "io")).isEqualTo(3);
		assertThat(gauge("executor.pool.core", "io")).isEqualTo(3);
		assertThat(gauge("executor.pool.max", "io")).isEqualTo(3);
		this.release.countDown();
		for (CompletableFuture<String> future : futures) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(
					this.registry.get("executor.completed").tag("name", "offload.io").functionCounter().count())
				.isEqualTo(5));
		assertThat(gauge("executor.active", "io")).isZero();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualGaugesCountRunningCallsAndCallsWaitingForAPermit() throws Exception {
		VirtualOffloadExecutor limited = new VirtualOffloadExecutor("http", 2, 5, "offload-http-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		VirtualOffloadExecutor unlimited = new VirtualOffloadExecutor("fan", null, 0, "offload-fan-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		DefaultOffloader offloader = new DefaultOffloader(bind(limited, unlimited));
		CountDownLatch started = new CountDownLatch(2);
		List<CompletableFuture<String>> futures = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			futures.add(offloader.call(blocking(started)));
		}
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(gauge("executor.active", "http")).isEqualTo(2);
		assertThat(gauge("executor.queued", "http")).isEqualTo(1);
		assertThat(gauge("executor.queue.remaining", "http")).isEqualTo(4);
		CountDownLatch fanStarted = new CountDownLatch(3);
		for (int i = 0; i < 3; i++) {
			futures.add(offloader.executor("fan").call(blocking(fanStarted)));
		}
		assertThat(fanStarted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(gauge("executor.active", "fan")).isEqualTo(3);
		assertThat(gauge("executor.queued", "fan")).isZero();
		assertThat(this.registry.find("executor.queue.remaining").tag("name", "offload.fan").gauge()).isNull();
		assertThat(this.registry.find("executor.pool.size").tag("name", "offload.http").gauge()).isNull();
		this.release.countDown();
		for (CompletableFuture<String> future : futures) {
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(gauge("executor.active", "http")).isZero());
		assertThat(this.registry.get("offload.wait").tag("executor", "http").timer().count()).isEqualTo(3);
	}

	@Test
	void beanExecutorGetsCallMetersButNoPoolGauges() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		try {
			BeanOffloadExecutor reports = new BeanOffloadExecutor("reports", "reportExecutor", pool, null,
					Duration.ofSeconds(1), ContextPropagator.NONE);
			DefaultOffloader offloader = new DefaultOffloader(bind(reports));
			assertThat(offloader.call(() -> "report").get(5, TimeUnit.SECONDS)).isEqualTo("report");
			assertCountedOnce("reports", OFFLOADER, "call", OffloadOutcome.SUCCESS);
			assertThat(this.registry.get("offload.wait").tag("executor", "reports").timer().count()).isEqualTo(1);
			assertThat(this.registry.find("executor.active").gauges()).isEmpty();
			assertThat(this.registry.getMeters()).noneMatch((meter) -> meter.getId().getName().startsWith("executor"));
		}
		finally {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void everyMeterHasADescriptionAndABaseUnitAndNoHistogram() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 1, 10)));
		offloader.call(() -> "value").get(5, TimeUnit.SECONDS);
		assertThat(this.registry.getMeters()).isNotEmpty().allSatisfy((meter) -> {
			assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
			assertThat(meter.getId().getBaseUnit()).as(meter.getId().toString()).isNotBlank();
		});
		Timer success = calls("io", OFFLOADER, "call", OffloadOutcome.SUCCESS);
		assertThat(success.takeSnapshot().histogramCounts()).isEmpty();
		assertThat(success.takeSnapshot().percentileValues()).isEmpty();
	}

	@Test
	void waitTimersAndGaugesExistFromBindingOn() {
		bind(platform("io", 1, 10), platform("jdbc", 2, 0));
		assertThat(this.registry.get("offload.wait").timers()).hasSize(2);
		assertThat(this.registry.get("executor.active").gauges()).hasSize(2);
		assertThat(this.registry.find("offload.calls").timers()).isEmpty();
		assertThat(gauge("executor.queue.remaining", "jdbc")).isZero();
	}

	@Test
	void bindingTwiceToTheSameRegistryRegistersNothingTwice() throws Exception {
		OffloadExecutors executors = registry(platform("io", 1, 10));
		OffloadMetrics metrics = new OffloadMetrics(executors);
		metrics.bindTo(this.registry);
		List<Meter.Id> before = this.registry.getMeters().stream().map(Meter::getId).toList();
		metrics.bindTo(this.registry);
		new DefaultOffloader(executors).call(() -> "value").get(5, TimeUnit.SECONDS);
		assertThat(this.registry.getMeters()
			.stream()
			.map(Meter::getId)
			.filter((id) -> !id.getName().equals("offload.calls"))).containsExactlyInAnyOrderElementsOf(before);
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.SUCCESS);
	}

	private double gauge(String name, String executor) {
		return this.registry.get(name).tag("name", "offload." + executor).gauge().value();
	}

	@Test
	void adaptiveExecutorGetsLimitGaugesThatFollowItsBoundsAndFixedOnesGetNone() {
		PlatformOffloadExecutor adaptive = platform("legacy", 4, 10);
		CallLimiter limiter = new AdaptiveLimiter("legacy", LimitAlgorithm.VEGAS, 4, 2, 8,
				DropExceptions.defaults(getClass().getClassLoader()));
		adaptive.setLimiter(limiter);
		bind(adaptive, platform("jdbc", 2, 10));
		Gauge limit = this.registry.get(OffloadMetrics.LIMIT).tag("executor", "legacy").gauge();
		Gauge min = this.registry.get(OffloadMetrics.LIMIT_MIN).tag("executor", "legacy").gauge();
		Gauge max = this.registry.get(OffloadMetrics.LIMIT_MAX).tag("executor", "legacy").gauge();
		assertThat(limit.value()).isEqualTo(4);
		assertThat(min.value()).isEqualTo(2);
		assertThat(max.value()).isEqualTo(8);
		for (Gauge gauge : List.of(limit, min, max)) {
			assertThat(gauge.getId().getBaseUnit()).as(gauge.getId().getName()).isEqualTo("tasks");
			assertThat(gauge.getId().getTags()).as(gauge.getId().getName())
				.containsExactly(Tag.of("executor", "legacy"));
		}
		limiter.setBounds(3, 6);
		assertThat(min.value()).isEqualTo(3);
		assertThat(max.value()).isEqualTo(6);
		assertThat(limit.value()).isEqualTo(4);
		limiter.setBounds(1, 2);
		assertThat(min.value()).isEqualTo(1);
		assertThat(max.value()).isEqualTo(2);
		assertThat(limit.value()).isEqualTo(2);
		for (String name : List.of(OffloadMetrics.LIMIT, OffloadMetrics.LIMIT_MIN, OffloadMetrics.LIMIT_MAX)) {
			assertThat(this.registry.find(name).gauges()).as(name).hasSize(1);
		}
	}

	@Test
	void nestedCallsToTheSameExecutorAreCountedByAction() throws Exception {
		OffloadExecutors executors = bind(platform("one", 1, 10));
		DefaultOffloader offloader = new DefaultOffloader(executors);
		String inner = offloader.call(() -> offloader.call(() -> "inner").get(5, TimeUnit.SECONDS))
			.get(5, TimeUnit.SECONDS);
		assertThat(inner).isEqualTo("inner");
		assertThat(this.registry.get(OffloadMetrics.NESTED)
			.tags("executor", "one", "class", OFFLOADER, "method", "call", "action", "inline")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void waitLeavesOutQueuedCallsThatTimedOutOrWereCancelled() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 1, 10)));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> first = offloader.call(blocking(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> timedOut = offloader.timeout(Duration.ofMillis(50)).call(() -> "never");
		CompletableFuture<String> cancelled = offloader.call(() -> "never");
		assertThat(cancelled.cancel(true)).isTrue();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		this.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		// Only the call a worker took waited; the two that never started are not counted.
		assertThat(this.registry.get("offload.wait").tag("executor", "io").timer().count()).isOne();
		assertThat(calls("io", OFFLOADER, "call", OffloadOutcome.TIMEOUT).count()).isOne();
		assertThat(calls("io", OFFLOADER, "call", OffloadOutcome.CANCELLED).count()).isOne();
		assertThat(calls("io", OFFLOADER, "call", OffloadOutcome.SUCCESS).count()).isOne();
	}

	@Test
	void callerCompletingACallWithATimeoutIsCountedAsATimeout() throws Exception {
		DefaultOffloader offloader = new DefaultOffloader(bind(platform("io", 1, 10)));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> future = offloader.call(blocking(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.completeExceptionally(new TimeoutException("the caller gave up"))).isTrue();
		assertCountedOnce("io", OFFLOADER, "call", OffloadOutcome.TIMEOUT);
	}

	@Test
	void nestedCallsQueuedWhileThreadsAreFreeAreCountedAsQueued() throws Exception {
		OffloadExecutors executors = bind(platform("four", 4, 10));
		DefaultOffloader offloader = new DefaultOffloader(executors);
		String inner = offloader
			.call(() -> offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.get(5, TimeUnit.SECONDS);
		assertThat(inner).startsWith("offload-four-");
		assertThat(this.registry.get(OffloadMetrics.NESTED)
			.tags("executor", "four", "class", OFFLOADER, "method", "call", "action", "queued")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find(OffloadMetrics.NESTED).tag("action", "inline").counter()).isNull();
	}

	@Test
	void nestedCallsOfBothActionsAtTheSameSiteKeepTheirCountersApart() throws Exception {
		OffloadExecutors executors = bind(platform("two", 2, 10));
		DefaultOffloader offloader = new DefaultOffloader(executors);
		CountDownLatch bothBusy = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		// First a nested call while a thread is free (queued), then one while none is
		// (inline): the same site counts each under its own action.
		offloader.call(() -> offloader.call(() -> "inner").get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
		CompletableFuture<String> holder = offloader.call(() -> {
			bothBusy.countDown();
			release.await(5, TimeUnit.SECONDS);
			return "held";
		});
		String inner = offloader.call(() -> {
			bothBusy.countDown();
			bothBusy.await(5, TimeUnit.SECONDS);
			return offloader.call(() -> "inline").get(5, TimeUnit.SECONDS);
		}).get(5, TimeUnit.SECONDS);
		release.countDown();
		assertThat(holder.get(5, TimeUnit.SECONDS)).isEqualTo("held");
		assertThat(inner).isEqualTo("inline");
		// A worker that just completed a future may still be finishing its task: wait
		// until
		// both are idle, so that the next nested call finds a free thread and is queued.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executors.get("two").getActiveCount() == 0);
		offloader.call(() -> offloader.call(() -> "inner").get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS);
		assertThat(nested("two", "queued")).isEqualTo(2);
		assertThat(nested("two", "inline")).isEqualTo(1);
	}

	private double nested(String executor, String action) {
		return this.registry.get(OffloadMetrics.NESTED)
			.tags("executor", executor, "class", OFFLOADER, "method", "call", "action", action)
			.counter()
			.count();
	}

	@Test
	void metersBoundAgainToAnotherRegistryRecordThereFromTheSameCallSites() throws Exception {
		OffloadExecutors executors = registry(platform("io", 1, 10));
		new OffloadMetrics(executors).bindTo(this.registry);
		DefaultOffloader offloader = new DefaultOffloader(executors);
		offloader.call(() -> "first").get(5, TimeUnit.SECONDS);
		MeterRegistry other = new SimpleMeterRegistry();
		new OffloadMetrics(executors).bindTo(other);
		offloader.call(() -> "second").get(5, TimeUnit.SECONDS);
		assertThat(calls("io", OFFLOADER, "call", OffloadOutcome.SUCCESS).count()).isOne();
		assertThat(other.get("offload.calls")
			.tags("executor", "io", "class", OFFLOADER, "method", "call", "outcome", "success")
			.timer()
			.count()).isOne();
	}

	@Test
	void bindingToASecondRegistryIsRefusedWithAWarning(CapturedOutput output) {
		OffloadExecutors executors = registry(platform("io", 1, 10));
		OffloadMetrics metrics = new OffloadMetrics(executors);
		metrics.bindTo(this.registry);
		metrics.bindTo(this.registry);
		assertThat(output).doesNotContain("Offload meters are already bound");
		MeterRegistry other = new SimpleMeterRegistry();
		metrics.bindTo(other);
		assertThat(output).contains("Offload meters are already bound to " + this.registry);
		assertThat(other.getMeters()).isEmpty();
	}

}
