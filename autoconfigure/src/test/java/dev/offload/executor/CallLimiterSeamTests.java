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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the runtime hands an adaptive executor's {@link CallLimiter}: one start and one
 * end per body, whatever happens to its call; the body's own run time, never its wait in
 * the queue; the outcome decided while it ran (a timeout, a cancel); and the body's
 * failure.
 */
class CallLimiterSeamTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private final RecordingLimiter limiter = new RecordingLimiter();

	private final PlatformOffloadExecutor executor = new PlatformOffloadExecutor("seam", 1, 1, 10,
			Duration.ofSeconds(60), "offload-seam-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor), "seam");

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void theSampleIsTheBodysRunTimeNotItsWaitInTheQueue() throws Exception {
		this.executor.setLimiter(this.limiter);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		OffloadCallSite site = Races.site(this.executor);
		CompletableFuture<String> first = Races.call(site, BlockingBody.until(release).countingDown(started));
		CompletableFuture<String> queued = Races.call(site, () -> "quick");
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.executor.getQueueSize()).isOne();
		// The time the second call waits in the queue, and the first body runs.
		Thread.sleep(200);
		release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("quick");
		awaitEnded(2);
		Sample quick = this.limiter.samples.get(1);
		assertThat(quick.runNanos()).as("run time of a body that waited 200 ms in the queue").isLessThan(100 * MS);
		assertThat(this.limiter.samples.get(0).runNanos()).as("run time of the blocking body")
			.isGreaterThanOrEqualTo(200 * MS);
		assertThat(quick.outcome()).isNull();
		assertThat(quick.failure()).isNull();
		assertThat(this.limiter.inFlight).hasValue(0);
	}

	@Test
	void aTimedOutOrCancelledBodyEndsWithItsOutcomeAndAFailedOneWithItsFailure() throws Exception {
		this.executor.setLimiter(this.limiter);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<String> timedOut = Races.call(Races.site(this.executor, Duration.ofMillis(50)), () -> {
			Thread.sleep(5000);
			return "late";
		});
		assertThat(Races.failureOf(timedOut)).isInstanceOf(java.util.concurrent.TimeoutException.class);
		awaitEnded(1);
		CompletableFuture<String> cancelled = Races.call(Races.site(this.executor),
				BlockingBody.until(new CountDownLatch(1)).countingDown(started));
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		cancelled.cancel(true);
		awaitEnded(2);
		IllegalStateException own = new IllegalStateException("no such row");
		CompletableFuture<String> failed = Races.call(Races.site(this.executor), () -> {
			throw own;
		});
		assertThat(Races.failureOf(failed)).isSameAs(own);
		awaitEnded(3);
		assertThat(this.limiter.samples).extracting(Sample::outcome)
			.containsExactly(OffloadOutcome.TIMEOUT, OffloadOutcome.CANCELLED, null);
		assertThat(this.limiter.samples.get(2).failure()).isSameAs(own);
		assertThat(this.limiter.samples.get(0).failure()).isInstanceOf(InterruptedException.class);
		assertThat(this.limiter.inFlight).hasValue(0);
	}

	@Test
	void theExecutorFollowsTheLimitFromTheStart() {
		this.limiter.limit = 3;
		this.executor.setLimiter(this.limiter);
		assertThat(this.executor.getMaxSize()).isEqualTo(3);
		this.limiter.listener.accept(2);
		assertThat(this.executor.getCoreSize()).isEqualTo(2);
		assertThat(this.executor.getMaxSize()).isEqualTo(2);
	}

	private void awaitEnded(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.limiter.samples.size() < count) {
			assertThat(System.nanoTime() - deadline).as("%d bodies ended", count).isNegative();
			Thread.sleep(2);
		}
	}

	record Sample(long runNanos, int inFlight, @Nullable OffloadOutcome outcome, @Nullable Throwable failure) {
	}

	/** A limiter of fixed limit that records what it is told. */
	static final class RecordingLimiter implements CallLimiter {

		final List<Sample> samples = new CopyOnWriteArrayList<>();

		final AtomicInteger inFlight = new AtomicInteger();

		volatile int limit = 1;

		volatile IntConsumer listener = (limit) -> {
		};

		@Override
		public int getLimit() {
			return this.limit;
		}

		@Override
		public int getMinLimit() {
			return 1;
		}

		@Override
		public int getMaxLimit() {
			return 10;
		}

		@Override
		public void setBounds(int minLimit, int maxLimit) {
		}

		@Override
		public String getAlgorithm() {
			return "recording";
		}

		@Override
		public int getInFlight() {
			return this.inFlight.get();
		}

		@Override
		public void onLimitChange(IntConsumer listener) {
			this.listener = listener;
		}

		@Override
		public int bodyStarted() {
			return this.inFlight.incrementAndGet();
		}

		@Override
		public void bodyEnded(long runNanos, int inFlight, @Nullable OffloadOutcome outcome,
				@Nullable Throwable failure) {
			this.inFlight.decrementAndGet();
			this.samples.add(new Sample(runNanos, inFlight, outcome, failure));
		}

	}

}
