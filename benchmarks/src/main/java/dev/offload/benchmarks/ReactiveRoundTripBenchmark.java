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

package dev.offload.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.ReactiveOffloader;

/**
 * Measurement H (the cost of the reactive path): one round trip per operation from a
 * caller whose context is in the Reactor {@code Context} ({@link ReactorCaller}): the
 * body ({@link Seen#look()}) runs on a worker and must see the caller's MDC entry and
 * user in its thread locals; every operation checks that it did, and before every
 * iteration each variant is checked from a fresh thread, with a context and without one
 * (a call without one must see nothing).
 * <ul>
 * <li>{@code boundedElasticIdiom}: what a WebFlux user writes today,
 * {@code Mono.fromCallable(body).subscribeOn(Schedulers.boundedElastic())}, with
 * automatic context propagation setting the thread locals on the worker;</li>
 * <li>{@code offloadMono}: an {@code @Offload} method returning {@code Mono};</li>
 * <li>{@code reactiveOffloader}: {@code ReactiveOffloader.mono(body)}.</li>
 * </ul>
 * The Offload variants run on the {@code default} executor of 4 threads (as in
 * {@link RoundTripBenchmark}); the idiom on Reactor's {@code boundedElastic}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReactiveRoundTripBenchmark {

	@Benchmark
	public Seen boundedElasticIdiom(ReactorCaller caller, Idiom idiom) {
		return caller.check(Idiom.call().contextWrite(caller.context).block());
	}

	@Benchmark
	public Seen offloadMono(ReactorCaller caller, OffloadState offload) {
		return caller.check(offload.service.lookMono().contextWrite(caller.context).block());
	}

	@Benchmark
	public Seen reactiveOffloader(ReactorCaller caller, OffloadState offload) {
		return caller.check(offload.reactive.mono(Seen::look).contextWrite(caller.context).block());
	}

	/** The idiom. */
	@State(Scope.Benchmark)
	public static class Idiom {

		static Mono<Seen> call() {
			return Mono.fromCallable(Seen::look).subscribeOn(Schedulers.boundedElastic());
		}

		@Setup(Level.Iteration)
		public void check() {
			verify("boundedElasticIdiom", (context) -> call().contextWrite(context).block());
		}

	}

	/** The Boot application with the starter. */
	@State(Scope.Benchmark)
	public static class OffloadState {

		ConfigurableApplicationContext context;

		OffloadApp.OffloadedService service;

		ReactiveOffloader reactive;

		@Setup(Level.Trial)
		public void start() {
			ReactorCaller.init();
			this.context = OffloadApp.start();
			this.service = this.context.getBean(OffloadApp.OffloadedService.class);
			this.reactive = this.context.getBean(ReactiveOffloader.class);
		}

		@Setup(Level.Iteration)
		public void check() {
			long before = OffloadApp.countedCalls(this.context);
			verify("offloadMono", (context) -> this.service.lookMono().contextWrite(context).block());
			verify("reactiveOffloader", (context) -> this.reactive.mono(Seen::look).contextWrite(context).block());
			long counted = OffloadApp.countedCalls(this.context) - before;
			if (counted < 64) {
				throw new IllegalStateException("offload.calls counted " + counted + " of 64 calls: metrics are off");
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

	private static final int CALLS = 16;

	private static final AtomicInteger rounds = new AtomicInteger();

	/**
	 * From a fresh thread with empty thread locals: calls with a request's Reactor
	 * {@code Context} see exactly it, and calls with an empty one afterwards (on workers
	 * that have just run a call with context) see nothing.
	 */
	static void verify(String variant, Function<Context, Seen> call) {
		ReactorCaller.init();
		Throwable[] failure = new Throwable[1];
		Thread caller = new Thread(() -> {
			try {
				int round = rounds.incrementAndGet();
				Seen expected = new Seen("check-req-" + round, "check-user-" + round);
				Context context = ReactorCaller.context(expected.requestId(), expected.user());
				for (int i = 0; i < CALLS; i++) {
					Seen seen = call.apply(context);
					if (!seen.is(expected.requestId(), expected.user())) {
						throw new IllegalStateException(
								variant + ": the worker saw " + seen + ", expected " + expected);
					}
				}
				for (int i = 0; i < CALLS; i++) {
					Seen seen = call.apply(Context.empty());
					if (!seen.is(null, null)) {
						throw new IllegalStateException(variant + ": a call with no caller context saw " + seen
								+ " (context leaked on the worker)");
					}
				}
				if (MDC.get(Seen.KEY) != null || SecurityContextHolder.getContext().getAuthentication() != null) {
					throw new IllegalStateException(variant + ": the caller thread was left with context");
				}
			}
			catch (Throwable ex) {
				failure[0] = ex;
			}
		}, "check-" + variant);
		caller.start();
		try {
			caller.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (failure[0] != null) {
			throw new IllegalStateException(failure[0]);
		}
	}

}
