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

package dev.offload.reactive;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Races of a subscriber's cancel against the call's completion, for {@code Mono} and
 * {@code Flux}: bounded iterations, both sides released together by a barrier. After
 * every round: the subscriber got at most one value and one terminal signal, nothing
 * after its cancel; every call was counted once, as a success or as cancelled; no call is
 * left in flight; no body starts with an interrupt meant for another.
 */
class ReactiveRaceTests {

	private static final int ROUNDS = 300;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final OffloadExecutors executors = new OffloadExecutors(List.of(new PlatformOffloadExecutor("race", 2, 2,
			10, Duration.ofSeconds(60), "offload-race-", null, Duration.ofSeconds(1), ContextPropagator.NONE)), "race");

	private final DefaultReactiveOffloader offloader = new DefaultReactiveOffloader(this.executors);

	private final AtomicInteger interruptedAtStart = new AtomicInteger();

	ReactiveRaceTests() {
		new OffloadMetrics(this.executors).bindTo(this.registry);
	}

	@AfterEach
	void close() {
		this.executors.close();
	}

	private long count(String method, OffloadOutcome outcome) {
		// find, not get: when every dispose came before its call was made, there is no
		// offload.calls timer at all, and none is a count of zero.
		return (long) this.registry.find("offload.calls")
			.tags("method", method, "outcome", outcome.tagValue())
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	private void startBody() {
		if (Thread.currentThread().isInterrupted()) {
			this.interruptedAtStart.incrementAndGet();
		}
	}

	@Test
	void monoDisposeRacingTheBodysReturn() throws Exception {
		Signals signals = new Signals();
		for (int i = 0; i < ROUNDS; i++) {
			CyclicBarrier barrier = new CyclicBarrier(2);
			Mono<String> mono = this.offloader.mono(() -> {
				startBody();
				barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
				return "value";
			});
			Signals round = new Signals();
			Disposable subscription = round.subscribeTo(mono);
			barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
			subscription.dispose();
			round.cancelled();
			signals.add(round);
		}
		await().atMost(Duration.ofSeconds(Latches.SECONDS))
			.until(() -> this.executors.get("race").getInFlightCount() == 0);
		long successes = count("mono", OffloadOutcome.SUCCESS);
		long cancelled = count("mono", OffloadOutcome.CANCELLED);
		assertThat(successes + cancelled).isEqualTo(ROUNDS);
		assertThat(signals.values.get()).isLessThanOrEqualTo((int) successes);
		assertThat(signals.errors.get()).isZero();
		assertThat(signals.afterCancel.get()).isZero();
		assertThat(signals.twice.get()).isZero();
		assertThat(this.interruptedAtStart).hasValue(0);
		assertThat(this.offloader.mono(() -> Thread.currentThread().isInterrupted())
			.block(Duration.ofSeconds(Latches.SECONDS))).isFalse();
	}

	@Test
	void fluxTakeRacingTheSourcesCompletion() {
		Signals signals = new Signals();
		for (int i = 0; i < ROUNDS; i++) {
			Flux<Integer> flux = this.offloader.flux(() -> {
				startBody();
				return Flux.just(1, 2);
			});
			List<Integer> elements = flux.take(1).collectList().block(Duration.ofSeconds(Latches.SECONDS));
			assertThat(elements).containsExactly(1);
		}
		await().atMost(Duration.ofSeconds(Latches.SECONDS))
			.until(() -> this.executors.get("race").getInFlightCount() == 0);
		assertThat(count("flux", OffloadOutcome.SUCCESS) + count("flux", OffloadOutcome.CANCELLED)).isEqualTo(ROUNDS);
		assertThat(this.interruptedAtStart).hasValue(0);
		assertThat(signals.twice.get()).isZero();
	}

	@Test
	void fluxDisposeRacingTheDrain() throws Exception {
		Signals signals = new Signals();
		for (int i = 0; i < ROUNDS; i++) {
			CountDownLatch started = new CountDownLatch(1);
			Flux<Integer> flux = this.offloader.flux(() -> {
				startBody();
				started.countDown();
				return Flux.range(0, 1_000);
			});
			Signals round = new Signals();
			Disposable subscription = round.subscribeTo(flux);
			Latches.awaitOrFail(started, "the body started");
			subscription.dispose();
			round.cancelled();
			signals.add(round);
		}
		await().atMost(Duration.ofSeconds(Latches.SECONDS))
			.until(() -> this.executors.get("race").getInFlightCount() == 0);
		assertThat(count("flux", OffloadOutcome.SUCCESS) + count("flux", OffloadOutcome.CANCELLED)).isEqualTo(ROUNDS);
		assertThat(signals.errors.get()).isZero();
		assertThat(signals.afterCancel.get()).isZero();
		assertThat(signals.twice.get()).isZero();
		assertThat(this.interruptedAtStart).hasValue(0);
	}

	@Test
	void monoDisposeFromAnotherThreadRacingTheSubscription() throws Exception {
		subscribeRacingDispose(this.offloader.mono(() -> {
			startBody();
			return "value";
		}), "mono");
	}

	@Test
	void fluxDisposeFromAnotherThreadRacingTheSubscription() throws Exception {
		subscribeRacingDispose(this.offloader.flux(() -> {
			startBody();
			return Flux.range(0, 100);
		}), "flux");
	}

	/**
	 * One thread subscribes while another disposes the same subscriber: the cancel may
	 * come before the call is made, while it is being made, or after.
	 */
	private void subscribeRacingDispose(Publisher<?> publisher, String method) throws Exception {
		ExecutorService disposer = Executors.newSingleThreadExecutor();
		try {
			Signals signals = new Signals();
			for (int i = 0; i < ROUNDS; i++) {
				CyclicBarrier barrier = new CyclicBarrier(2);
				Signals round = new Signals();
				BaseSubscriber<Object> subscriber = round.subscriber();
				Future<?> disposed = disposer.submit(() -> {
					barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
					subscriber.dispose();
					return null;
				});
				barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
				publisher.subscribe(subscriber);
				disposed.get(Latches.SECONDS, TimeUnit.SECONDS);
				round.cancelled();
				signals.add(round);
			}
			await().atMost(Duration.ofSeconds(Latches.SECONDS))
				.until(() -> this.executors.get("race").getInFlightCount() == 0);
			assertThat(this.executors.get("race").getActiveCount()).isZero();
			assertThat(count(method, OffloadOutcome.ERROR)).isZero();
			assertThat(signals.afterCancel.get()).isZero();
			assertThat(signals.twice.get()).isZero();
			// A body may see its own call's cancel at once here; what must not happen is
			// an
			// interrupt left on a worker for the next call.
			assertNoInterruptLeftOnTheWorkers();
		}
		finally {
			disposer.shutdownNow();
		}
	}

	/**
	 * Runs one call on each of the two workers at once and checks that neither starts
	 * interrupted.
	 */
	private void assertNoInterruptLeftOnTheWorkers() {
		CyclicBarrier bothWorkers = new CyclicBarrier(2);
		Mono<Boolean> probe = this.offloader.mono(() -> {
			boolean interrupted = Thread.currentThread().isInterrupted();
			bothWorkers.await(Latches.SECONDS, TimeUnit.SECONDS);
			return interrupted;
		});
		assertThat(Flux.merge(probe, probe).collectList().block(Duration.ofSeconds(Latches.SECONDS)))
			.containsExactly(false, false);
	}

	/**
	 * What one subscriber (or all of them, summed) received.
	 */
	private static final class Signals {

		final AtomicInteger values = new AtomicInteger();

		final AtomicInteger errors = new AtomicInteger();

		final AtomicInteger completions = new AtomicInteger();

		final AtomicInteger afterCancel = new AtomicInteger();

		final AtomicInteger twice = new AtomicInteger();

		private volatile boolean cancelled;

		private final AtomicInteger terminals = new AtomicInteger();

		void value(Object value) {
			signal();
			this.values.incrementAndGet();
		}

		void error(Throwable ex) {
			signal();
			terminal();
			this.errors.incrementAndGet();
		}

		void complete() {
			signal();
			terminal();
			this.completions.incrementAndGet();
		}

		void cancelled() {
			this.cancelled = true;
		}

		private void signal() {
			if (this.cancelled) {
				this.afterCancel.incrementAndGet();
			}
		}

		private void terminal() {
			if (this.terminals.incrementAndGet() > 1) {
				this.twice.incrementAndGet();
			}
		}

		/**
		 * Subscribes with a subscriber that sees every signal, even after its cancel
		 * (Reactor's lambda subscriber would drop them and hide a late one).
		 */
		Disposable subscribeTo(Publisher<?> publisher) {
			BaseSubscriber<Object> subscriber = subscriber();
			publisher.subscribe(subscriber);
			return subscriber;
		}

		BaseSubscriber<Object> subscriber() {
			return new BaseSubscriber<>() {

				@Override
				protected void hookOnNext(Object value) {
					Signals.this.value(value);
				}

				@Override
				protected void hookOnError(Throwable ex) {
					Signals.this.error(ex);
				}

				@Override
				protected void hookOnComplete() {
					Signals.this.complete();
				}

			};
		}

		void add(Signals round) {
			this.values.addAndGet(Math.min(round.values.get(), 1));
			this.errors.addAndGet(round.errors.get());
			this.completions.addAndGet(round.completions.get());
			this.afterCancel.addAndGet(round.afterCancel.get());
			this.twice.addAndGet(round.twice.get());
		}

	}

}
