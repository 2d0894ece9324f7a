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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import dev.offload.Offloader;

/**
 * Measurements A (latency, 1 caller), B (throughput, 2 callers) and C (allocation per
 * call): one round trip per operation, the same body and the same pool shape (4 threads,
 * a large queue) in every variant. Each variant's state checks before every iteration
 * that the worker saw the caller's context and that a call without one sees nothing.
 * <p>
 * The benchmark methods only call the variant and return its result; the caller's context
 * is in {@link CallerContext}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoundTripBenchmark {

	@Benchmark
	public Seen direct(CallerContext caller, Direct direct) {
		return Seen.look();
	}

	@Benchmark
	public Seen rawSupplyAsync(CallerContext caller, Raw raw) {
		return CompletableFuture.supplyAsync(Seen::look, raw.pool).join();
	}

	@Benchmark
	public Seen manualPropagation(CallerContext caller, Manual manual) {
		return Pools.manual(manual.pool).join();
	}

	@Benchmark
	public Seen springAsync(CallerContext caller, SpringAsync async) {
		return async.service.look().join();
	}

	@Benchmark
	public Seen resilience4jBulkhead(CallerContext caller, Resilience4j r4j) {
		return r4j.bulkhead.submit(Seen::look).toCompletableFuture().join();
	}

	@Benchmark
	public Seen offloadAnnotation(CallerContext caller, OffloadState offload) {
		return offload.service.look().join();
	}

	@Benchmark
	public Seen offloader(CallerContext caller, OffloadState offload) {
		return offload.offloader.call(Seen::look).join();
	}

	/** The body on the caller thread, for the checks. */
	@State(Scope.Benchmark)
	public static class Direct {

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("direct", Seen::look, true);
		}

	}

	@State(Scope.Benchmark)
	public static class Raw {

		ExecutorService pool;

		@Setup(Level.Trial)
		public void start() {
			this.pool = Pools.newPool("raw-");
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("rawSupplyAsync", () -> CompletableFuture.supplyAsync(Seen::look, this.pool).join(), false);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.pool.shutdownNow();
		}

	}

	@State(Scope.Benchmark)
	public static class Manual {

		ExecutorService pool;

		@Setup(Level.Trial)
		public void start() {
			this.pool = Pools.newPool("manual-");
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("manualPropagation", () -> Pools.manual(this.pool).join(), true);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.pool.shutdownNow();
		}

	}

	@State(Scope.Benchmark)
	public static class SpringAsync {

		AnnotationConfigApplicationContext context;

		SpringAsyncConfig.AsyncService service;

		@Setup(Level.Trial)
		public void start() {
			this.context = new AnnotationConfigApplicationContext(SpringAsyncConfig.class);
			this.service = this.context.getBean(SpringAsyncConfig.AsyncService.class);
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("springAsync", () -> this.service.look().join(), true);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

	@State(Scope.Benchmark)
	public static class Resilience4j {

		ThreadPoolBulkhead bulkhead;

		@Setup(Level.Trial)
		public void start() {
			this.bulkhead = ThreadPoolBulkhead.of("bench",
					ThreadPoolBulkheadConfig.custom()
						.coreThreadPoolSize(OffloadApp.POOL_SIZE)
						.maxThreadPoolSize(OffloadApp.POOL_SIZE)
						.queueCapacity(OffloadApp.QUEUE_CAPACITY)
						.contextPropagator(new Pools.MdcPropagator(), new Pools.SecurityPropagator())
						.build());
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("resilience4jBulkhead", () -> this.bulkhead.submit(Seen::look).toCompletableFuture().join(),
					true);
		}

		@TearDown(Level.Trial)
		public void stop() throws Exception {
			this.bulkhead.close();
		}

	}

	/**
	 * The Boot application with the starter, shared by {@code offloadAnnotation} and
	 * {@code offloader}.
	 */
	@State(Scope.Benchmark)
	public static class OffloadState {

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
			long before = OffloadApp.countedCalls(this.context);
			Checks.verify("offloadAnnotation", () -> this.service.look().join(), true);
			Checks.verify("offloader", () -> this.offloader.call(Seen::look).join(), true);
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

}
