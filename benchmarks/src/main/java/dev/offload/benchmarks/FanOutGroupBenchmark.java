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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.ConfigurableApplicationContext;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.Offloader;

/**
 * Measurement F: a fan-out of the same four {@code @Offload} calls (the round-trip
 * benchmarks' body, on the same pool of 4 threads, with the caller's MDC and user),
 * joined by the caller and combined into one result:
 * <ul>
 * <li>{@code allOf}: {@code CompletableFuture.allOf} over the four futures, then each
 * {@code join()}ed, as users write it by hand;</li>
 * <li>{@code allOfWithTimeout}: the same with {@code orTimeout(5 s)} on the {@code allOf}
 * future (which fails the caller's future at the timeout, but cancels nothing);</li>
 * <li>{@code scope}: an {@code OffloadScope} that forks the four calls and joins them
 * with {@code join(result)};</li>
 * <li>{@code scopeWithDeadline}: the same with a deadline of 5 s, which the calls inherit
 * (a timer for the group, and each call carries the deadline).</li>
 * </ul>
 * Every variant returns the four results, so that the caller sees the same thing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FanOutGroupBenchmark {

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	@Benchmark
	public Seen[] allOf(CallerContext caller, Group group) {
		OffloadApp.OffloadedService service = group.service;
		CompletableFuture<Seen> first = service.look();
		CompletableFuture<Seen> second = service.look();
		CompletableFuture<Seen> third = service.look();
		CompletableFuture<Seen> fourth = service.look();
		return CompletableFuture.allOf(first, second, third, fourth)
			.thenApply((done) -> new Seen[] { first.join(), second.join(), third.join(), fourth.join() })
			.join();
	}

	@Benchmark
	public Seen[] allOfWithTimeout(CallerContext caller, Group group) {
		OffloadApp.OffloadedService service = group.service;
		CompletableFuture<Seen> first = service.look();
		CompletableFuture<Seen> second = service.look();
		CompletableFuture<Seen> third = service.look();
		CompletableFuture<Seen> fourth = service.look();
		return CompletableFuture.allOf(first, second, third, fourth)
			.orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
			.thenApply((done) -> new Seen[] { first.join(), second.join(), third.join(), fourth.join() })
			.join();
	}

	@Benchmark
	public Seen[] scope(CallerContext caller, Group group) {
		return fanOut(group.offloader.scope(), group.service);
	}

	@Benchmark
	public Seen[] scopeWithDeadline(CallerContext caller, Group group) {
		return fanOut(group.offloader.scope(DEADLINE), group.service);
	}

	private static Seen[] fanOut(OffloadScope scope, OffloadApp.OffloadedService service) {
		Member<Seen> first = scope.fork(service::look);
		Member<Seen> second = scope.fork(service::look);
		Member<Seen> third = scope.fork(service::look);
		Member<Seen> fourth = scope.fork(service::look);
		return scope.join(() -> new Seen[] { first.get(), second.get(), third.get(), fourth.get() }).join();
	}

	/**
	 * The application of the round-trip benchmarks: four threads, metrics on.
	 */
	@State(Scope.Benchmark)
	public static class Group {

		ConfigurableApplicationContext context;

		OffloadApp.OffloadedService service;

		Offloader offloader;

		@Setup(Level.Trial)
		public void start() {
			this.context = OffloadApp.start();
			this.service = this.context.getBean(OffloadApp.OffloadedService.class);
			this.offloader = this.context.getBean(Offloader.class);
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("scope", () -> fanOut(this.offloader.scope(DEADLINE), this.service)[3], true);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

}
