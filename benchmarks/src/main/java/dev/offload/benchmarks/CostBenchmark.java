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

import java.util.ArrayList;
import java.util.List;
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
 * What each part of an offloaded call costs: the {@code offloadAnnotation} and
 * {@code offloader} variants of {@link RoundTripBenchmark} with parts switched off by
 * configuration. Run with {@code -prof gc}; the differences in {@code gc.alloc.rate.norm}
 * attribute the allocation.
 * <ul>
 * <li>{@code full}: as in {@link RoundTripBenchmark};</li>
 * <li>{@code noMetrics}: no {@code MeterRegistry}, so no {@code OffloadMetrics};</li>
 * <li>{@code mdcOnly} / {@code securityOnly}: one propagator, metrics on;</li>
 * <li>{@code noPropagation}: {@code offload.propagation.*=false}, metrics on;</li>
 * <li>{@code bare}: neither propagation nor metrics.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CostBenchmark {

	@Benchmark
	public Seen offloadAnnotation(CallerContext caller, Config config) {
		return config.service.look().join();
	}

	@Benchmark
	public Seen offloader(CallerContext caller, Config config) {
		return config.offloader.call(Seen::look).join();
	}

	@State(Scope.Benchmark)
	public static class Config {

		@Param({ "full", "noMetrics", "mdcOnly", "securityOnly", "noPropagation", "bare" })
		public String config;

		ConfigurableApplicationContext context;

		OffloadApp.OffloadedService service;

		Offloader offloader;

		private boolean mdc;

		private boolean security;

		@Setup(Level.Trial)
		public void start() {
			boolean metrics = !this.config.equals("noMetrics") && !this.config.equals("bare");
			boolean none = this.config.equals("noPropagation") || this.config.equals("bare");
			this.mdc = !none && !this.config.equals("securityOnly");
			this.security = !none && !this.config.equals("mdcOnly");
			boolean others = !none && !this.config.endsWith("Only");
			List<String> properties = new ArrayList<>();
			properties.add("bench.metrics=" + metrics);
			properties.add("offload.propagation.mdc=" + this.mdc);
			properties.add("offload.propagation.security=" + this.security);
			properties.add("offload.propagation.locale=" + others);
			properties.add("offload.propagation.observation=" + others);
			this.context = OffloadApp.start(properties.toArray(String[]::new));
			this.service = this.context.getBean(OffloadApp.OffloadedService.class);
			this.offloader = this.context.getBean(Offloader.class);
		}

		@Setup(Level.Iteration)
		public void check() {
			// Both kinds or neither: the check's caller sets both.
			if (this.mdc == this.security) {
				Checks.verify("offloadAnnotation[" + this.config + "]", () -> this.service.look().join(), this.mdc);
				Checks.verify("offloader[" + this.config + "]", () -> this.offloader.call(Seen::look).join(), this.mdc);
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

}
