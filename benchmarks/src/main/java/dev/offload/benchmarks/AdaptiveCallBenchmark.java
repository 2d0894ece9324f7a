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

import io.micrometer.core.instrument.MeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.context.ConfigurableApplicationContext;

import dev.offload.Offloader;

/**
 * Measurement C on an adaptive executor: the {@code offloader} variant of
 * {@link RoundTripBenchmark} (one {@code Offloader.call} round trip, the caller's MDC
 * entry and user, metrics on) on an executor named {@code pool} that is either
 * <ul>
 * <li>{@code fixed}: 4 threads (core = max), a queue of 100,000, as in A-C;</li>
 * <li>{@code adaptive}: {@code adaptive.enabled: true} with the default algorithm,
 * {@code initial-limit} 4, {@code min-limit} 1, {@code max-limit} 4 (so the same 4
 * threads at most), the same queue.</li>
 * </ul>
 * Run with {@code -prof gc}: the target is that a call on the adaptive executor allocates
 * at most 10 % more than on the fixed one. The adaptive variant refuses to run (no
 * figure) when the build has no adaptive limits (no {@code offload.limit} gauge).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdaptiveCallBenchmark {

	@Benchmark
	public Seen offloader(CallerContext caller, Executor executor) {
		return executor.offloader.call(Seen::look).join();
	}

	@State(Scope.Benchmark)
	public static class Executor {

		@Param({ "fixed", "adaptive" })
		public String executor;

		ConfigurableApplicationContext context;

		Offloader offloader;

		@Setup(Level.Trial)
		public void start() {
			String prefix = "offload.executors.pool.";
			String[] properties = switch (this.executor) {
				case "fixed" -> new String[] { prefix + "core-size=" + OffloadApp.POOL_SIZE,
						prefix + "max-size=" + OffloadApp.POOL_SIZE,
						prefix + "queue-capacity=" + OffloadApp.QUEUE_CAPACITY };
				case "adaptive" -> new String[] { prefix + "adaptive.enabled=true",
						prefix + "adaptive.initial-limit=" + OffloadApp.POOL_SIZE, prefix + "adaptive.min-limit=1",
						prefix + "adaptive.max-limit=" + OffloadApp.POOL_SIZE,
						prefix + "queue-capacity=" + OffloadApp.QUEUE_CAPACITY };
				default -> throw new IllegalArgumentException("Unknown executor " + this.executor);
			};
			this.context = OffloadApp.start(properties);
			this.offloader = this.context.getBean(Offloader.class).executor("pool");
			boolean adaptive = this.context.getBean(MeterRegistry.class)
				.find("offload.limit")
				.tag("executor", "pool")
				.gauge() != null;
			if (adaptive != this.executor.equals("adaptive")) {
				throw new IllegalStateException("AdaptiveCallBenchmark[" + this.executor + "]: the executor is "
						+ (adaptive ? "" : "not ") + "adaptive (offload.limit gauge "
						+ (adaptive ? "present" : "absent: this build has no adaptive limits") + ")");
			}
		}

		@Setup(Level.Iteration)
		public void check() {
			Checks.verify("offloader[" + this.executor + "]", () -> this.offloader.call(Seen::look).join(), true);
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

}
