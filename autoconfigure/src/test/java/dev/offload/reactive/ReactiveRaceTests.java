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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Races of a subscriber's cancel against the call's completion, for {@code Mono} and
 * {@code Flux}: bounded iterations, both sides released together by a barrier. After
 * every round: the subscriber got at most one terminal signal and never an error; a
 * {@code Mono}'s value only from a call whose completion beat the cancel; after the
 * cancel returned, only what was already on its way (Reactive Streams §2.8: a subscriber
 * must be prepared for signals after {@code cancel()}), at most one signal of a
 * {@code Flux}; every call was counted once, as a success or as cancelled; no call is
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
		long successesBefore = 0;
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
			// The round is over once its call is: then every signal it had on its way
			// has arrived.
			awaitNoCallInFlight();
			long successes = count("mono", OffloadOutcome.SUCCESS);
			if (successes == successesBefore) {
				// The cancel won: the subscriber got nothing, not even late.
				assertThat(round.values).as("value of a cancelled call").hasValue(0);
			}
			successesBefore = successes;
			signals.add(round);
		}
		long successes = count("mono", OffloadOutcome.SUCCESS);
		long cancelled = count("mono", OffloadOutcome.CANCELLED);
		assertThat(successes + cancelled).isEqualTo(ROUNDS);
		assertThat(signals.values.get()).isLessThanOrEqualTo((int) successes);
		assertThat(signals.errors.get()).isZero();
		assertThat(signals.twice.get()).isZero();
		assertThat(this.interruptedAtStart).hasValue(0);
		assertThat(this.offloader.mono(() -> Thread.currentThread().isInterrupted())
			.block(Duration.ofSeconds(Latches.SECONDS))).isFalse();
	}

	/**
	 * Waits, spinning, for the executor to have no call in flight and no thread still
	 * running one (a worker leaves the call's bookkeeping before it returns from the
	 * task): a poll interval per round would make the rounds too slow to race.
	 */
	private void awaitNoCallInFlight() {
		OffloadExecutor executor = this.executors.get("race");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Latches.SECONDS);
		while (executor.getInFlightCount() != 0 || executor.getActiveCount() != 0) {
			assertThat(System.nanoTime() - deadline).as("a call still in flight or running").isNegative();
			Thread.yield();
		}
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
		List<Signals> rounds = new ArrayList<>();
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
			rounds.add(round);
		}
		// Summed once every call is over: a value on its way at the cancel has arrived.
		awaitNoCallInFlight();
		rounds.forEach(signals::add);
		assertThat(count("flux", OffloadOutcome.SUCCESS) + count("flux", OffloadOutcome.CANCELLED)).isEqualTo(ROUNDS);
		assertThat(signals.errors.get()).isZero();
		assertThat(signals.moreThanOneLate.get()).isZero();
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
			List<Signals> rounds = new ArrayList<>();
			for (int i = 0; i < ROUNDS; i++) {
				CyclicBarrier barrier = new CyclicBarrier(2);
				Signals round = new Signals();
				Signals.Recorder subscriber = round.subscriber();
				Future<?> disposed = disposer.submit(() -> {
					barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
					subscriber.dispose();
					return null;
				});
				barrier.await(Latches.SECONDS, TimeUnit.SECONDS);
				publisher.subscribe(subscriber);
				disposed.get(Latches.SECONDS, TimeUnit.SECONDS);
				round.cancelled();
				rounds.add(round);
			}
			awaitNoCallInFlight();
			rounds.forEach(signals::add);
			assertThat(count(method, OffloadOutcome.ERROR)).isZero();
			assertThat(signals.errors.get()).isZero();
			assertThat(signals.moreThanOneLate.get()).isZero();
			assertThat(signals.twice.get()).isZero();
			// A body may see its own call's cancel at once here; what must not happen
			// is an interrupt left on a worker for the next call.
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

		/**
		 * Values that began to be signalled after the cancel had returned.
		 */
		final AtomicInteger lateValues = new AtomicInteger();

		/**
		 * Rounds with more than one of those: more than the one value a subscription can
		 * have on its way when its cancel returns.
		 */
		final AtomicInteger moreThanOneLate = new AtomicInteger();

		final AtomicInteger twice = new AtomicInteger();

		private volatile boolean cancelled;

		private final AtomicInteger terminals = new AtomicInteger();

		void value(Object value) {
			if (this.cancelled) {
				this.lateValues.incrementAndGet();
			}
			this.values.incrementAndGet();
		}

		void error(Throwable ex) {
			terminal();
			this.errors.incrementAndGet();
		}

		void complete() {
			terminal();
			this.completions.incrementAndGet();
		}

		void cancelled() {
			this.cancelled = true;
		}

		private void terminal() {
			if (this.terminals.incrementAndGet() > 1) {
				this.twice.incrementAndGet();
			}
		}

		/**
		 * Subscribes with a subscriber that sees every signal, even after its cancel
		 * (Reactor's lambda subscriber and {@code BaseSubscriber} drop them and would
		 * hide a late one).
		 */
		Disposable subscribeTo(Publisher<?> publisher) {
			Recorder subscriber = subscriber();
			publisher.subscribe(subscriber);
			return subscriber;
		}

		Recorder subscriber() {
			return new Recorder();
		}

		/**
		 * Requests everything, records every signal, cancels on dispose.
		 */
		final class Recorder implements CoreSubscriber<Object>, Disposable {

			private final AtomicReference<@Nullable Subscription> subscription = new AtomicReference<>();

			private volatile boolean disposed;

			@Override
			public void onSubscribe(Subscription subscription) {
				this.subscription.set(subscription);
				if (this.disposed) {
					subscription.cancel();
				}
				else {
					subscription.request(Long.MAX_VALUE);
				}
			}

			@Override
			public void onNext(Object value) {
				Signals.this.value(value);
			}

			@Override
			public void onError(Throwable ex) {
				Signals.this.error(ex);
			}

			@Override
			public void onComplete() {
				Signals.this.complete();
			}

			@Override
			public void dispose() {
				this.disposed = true;
				Subscription subscription = this.subscription.get();
				if (subscription != null) {
					subscription.cancel();
				}
			}

			@Override
			public boolean isDisposed() {
				return this.disposed;
			}

		}

		void add(Signals round) {
			this.values.addAndGet(Math.min(round.values.get(), 1));
			this.errors.addAndGet(round.errors.get());
			this.completions.addAndGet(round.completions.get());
			this.lateValues.addAndGet(round.lateValues.get());
			if (round.lateValues.get() > 1) {
				this.moreThanOneLate.incrementAndGet();
			}
			this.twice.addAndGet(round.twice.get());
		}

	}

}
