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

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * Measurement D: {@value #CALLS} calls of a body that sleeps {@value #SLEEP_MILLIS} ms,
 * submitted at once through the {@code Offloader} of a Boot application, until all are
 * done, on
 * <ul>
 * <li>{@code virtual}: a virtual executor (one virtual thread per call), floor 50
 * ms;</li>
 * <li>{@code virtualLimit1000}: a virtual executor with {@code max-concurrency: 1000},
 * floor 10,000 / 1,000 &times; 50 ms = 500 ms;</li>
 * <li>{@code platform200}: a pool of 200 platform threads, floor 10,000 / 200 &times; 50
 * ms = 2.5 s.</li>
 * </ul>
 * The virtual executors need Java 21+; on an older JVM their trial fails at once with a
 * message ({@code benchmarks/run.sh} then runs {@code platform200} only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FanOutBenchmark {

	/** Calls per operation. */
	public static final int CALLS = 10_000;

	/** What each body sleeps. */
	public static final long SLEEP_MILLIS = 50;

	private static final Callable<Object> SLEEP = () -> {
		Thread.sleep(SLEEP_MILLIS);
		return Boolean.TRUE;
	};

	@Param({ "virtual", "virtualLimit1000", "platform200" })
	public String executor;

	private ConfigurableApplicationContext context;

	private Offloader offloader;

	@Setup(Level.Trial)
	public void start() {
		if (!this.executor.startsWith("platform") && Runtime.version().feature() < 21) {
			throw new IllegalStateException("FanOutBenchmark[" + this.executor + "] needs Java 21+ (virtual threads); "
					+ "this is Java " + Runtime.version() + ". Run it with a JDK 21+, or with -p executor=platform200");
		}
		String prefix = "offload.executors.fan.";
		String[] properties = switch (this.executor) {
			case "virtual" -> new String[] { prefix + "virtual=true" };
			case "virtualLimit1000" -> new String[] { prefix + "virtual=true", prefix + "max-concurrency=1000",
					prefix + "queue-capacity=" + CALLS };
			case "platform200" -> new String[] { prefix + "virtual=false", prefix + "core-size=200",
					prefix + "max-size=200", prefix + "queue-capacity=" + CALLS };
			default -> throw new IllegalArgumentException("Unknown executor " + this.executor);
		};
		this.context = OffloadApp.start(properties);
		this.offloader = this.context.getBean(Offloader.class).executor("fan");
	}

	@Benchmark
	public int fanOut() {
		CompletableFuture<?>[] calls = new CompletableFuture<?>[CALLS];
		for (int i = 0; i < CALLS; i++) {
			calls[i] = this.offloader.call(SLEEP);
		}
		CompletableFuture.allOf(calls).join();
		return calls.length;
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

}
