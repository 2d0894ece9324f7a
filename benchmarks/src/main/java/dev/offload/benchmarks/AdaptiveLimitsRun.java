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

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ConfigurableApplicationContext;

import dev.offload.Offloader;

/**
 * Measurements I (one instance against an overloaded downstream, through three phases)
 * and J (N instances sharing one downstream) of {@code docs/performance.md}: not JMH, a
 * plain main that starts the Boot application of the benchmarks once per variant, drives
 * {@link OpenLoad} against a {@link Downstream} and writes, per variant, a time series
 * ({@code I-<variant>.csv}) and per-phase figures ({@code I-<variant>.json}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.offload.benchmarks.AdaptiveLimitsRun I benchmarks/results fixed16 vegas
 * java -cp benchmarks/target/benchmarks.jar dev.offload.benchmarks.AdaptiveLimitsRun J benchmarks/results fixed16 vegas
 * </pre>
 *
 * Variants: {@code fixed<L>} (core-size = max-size = L), or an adaptive algorithm
 * ({@code vegas}, {@code gradient2}, {@code aimd}; {@code adaptive} for the executor's
 * default algorithm). The model and the load are set by system properties (defaults in
 * brackets): {@code service.millis} [10], {@code capacity} [16], {@code k} [0.5],
 * {@code timeout.millis} [200], {@code queue} [50], {@code overload} [1.5, I's arrivals
 * over the capacity], {@code share} [0.4, J's arrivals per instance over the capacity],
 * {@code initial.limit} [20], {@code max.limit} [200], {@code phase.scale} [1, multiplies
 * every phase's length, for quick trials].
 */
public final class AdaptiveLimitsRun {

	static final double SERVICE_MILLIS = Double.parseDouble(System.getProperty("service.millis", "10"));

	static final int CAPACITY = Integer.getInteger("capacity", 16);

	static final double K = Double.parseDouble(System.getProperty("k", "0.5"));

	static final int TIMEOUT_MILLIS = Integer.getInteger("timeout.millis", 200);

	static final int QUEUE = Integer.getInteger("queue", 50);

	static final double OVERLOAD = Double.parseDouble(System.getProperty("overload", "1.5"));

	static final double SHARE = Double.parseDouble(System.getProperty("share", "0.4"));

	static final int INITIAL_LIMIT = Integer.getInteger("initial.limit", 20);

	static final int MAX_LIMIT = Integer.getInteger("max.limit", 200);

	static final double SCALE = Double.parseDouble(System.getProperty("phase.scale", "1"));

	/** Calls per second the downstream completes at its capacity: C / service time. */
	static final double CAPACITY_RATE = CAPACITY * 1000.0 / SERVICE_MILLIS;

	private AdaptiveLimitsRun() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 3 || !(args[0].equals("I") || args[0].equals("J"))) {
			System.err.println("usage: AdaptiveLimitsRun I|J RESULTS_DIR VARIANT...");
			System.exit(2);
		}
		Path out = Path.of(args[1]);
		Files.createDirectories(out);
		System.out.printf(Locale.ROOT,
				"%s: C=%d, service %.1f ms (capacity %.0f calls/s), k=%.2f, timeout %d ms, queue %d%n", args[0],
				CAPACITY, SERVICE_MILLIS, CAPACITY_RATE, K, TIMEOUT_MILLIS, QUEUE);
		for (String variant : Arrays.copyOfRange(args, 2, args.length)) {
			try {
				if (args[0].equals("I")) {
					oneInstance(variant, out);
				}
				else {
					scaleOut(variant, out);
				}
			}
			catch (UnsupportedOperationException ex) {
				System.out.println(args[0] + " " + variant + ": SKIPPED: " + ex.getMessage());
			}
			System.gc();
		}
		System.exit(0);
	}

	/** I: one executor, 1.5x capacity; steady, capacity halved, outage, recovery. */
	static void oneInstance(String variant, Path out) throws Exception {
		double rate = OVERLOAD * CAPACITY_RATE;
		try (Downstream downstream = new Downstream(CAPACITY, SERVICE_MILLIS, K)) {
			List<OpenLoad.Phase> phases = List.of(
					new OpenLoad.Phase("warm-up", 3 * SCALE, 0.5 * CAPACITY_RATE, 1,
							() -> downstream.setCapacity(CAPACITY), false),
					new OpenLoad.Phase("steady", 15 * SCALE, rate, 1, () -> downstream.setCapacity(CAPACITY), true),
					new OpenLoad.Phase("halved", 15 * SCALE, rate, 1, () -> downstream.setCapacity(CAPACITY / 2), true),
					new OpenLoad.Phase("outage", 5 * SCALE, rate, 1, () -> downstream.setOutage(true), true),
					new OpenLoad.Phase("recovery", 20 * SCALE, rate, 1, () -> downstream.setOutage(false), true));
			run("I", variant, 1, phases, downstream, out);
		}
	}

	/** J: N = 1, 2, 4, 8 executors, each at 0.4x capacity, sharing one downstream. */
	static void scaleOut(String variant, Path out) throws Exception {
		double rate = SHARE * CAPACITY_RATE;
		try (Downstream downstream = new Downstream(CAPACITY, SERVICE_MILLIS, K)) {
			List<OpenLoad.Phase> phases = new ArrayList<>();
			phases.add(new OpenLoad.Phase("warm-up", 3 * SCALE, rate, 1, () -> {
			}, false));
			for (int n : new int[] { 1, 2, 4, 8 }) {
				phases.add(new OpenLoad.Phase("N=" + n, 15 * SCALE, n * rate, n, () -> {
				}, true));
			}
			run("J", variant, 8, phases, downstream, out);
		}
	}

	static String[] properties(String variant, int instances) {
		List<String> properties = new ArrayList<>();
		for (int i = 1; i <= instances; i++) {
			String prefix = "offload.executors." + executorName(instances, i) + ".";
			properties.add(prefix + "virtual=false");
			properties.add(prefix + "queue-capacity=" + QUEUE);
			properties.add(prefix + "timeout=" + TIMEOUT_MILLIS + "ms");
			properties.add(prefix + "thread-name-prefix=" + executorName(instances, i) + "-");
			if (variant.startsWith("fixed")) {
				int limit = Integer.parseInt(variant.substring("fixed".length()));
				properties.add(prefix + "core-size=" + limit);
				properties.add(prefix + "max-size=" + limit);
			}
			else {
				properties.add(prefix + "adaptive.enabled=true");
				if (!variant.equals("adaptive")) {
					properties.add(prefix + "adaptive.algorithm=" + variant);
				}
				properties.add(prefix + "adaptive.initial-limit=" + INITIAL_LIMIT);
				properties.add(prefix + "adaptive.min-limit=1");
				properties.add(prefix + "adaptive.max-limit=" + MAX_LIMIT);
			}
		}
		return properties.toArray(String[]::new);
	}

	static String executorName(int instances, int i) {
		return (instances == 1) ? "db" : "db" + i;
	}

	private static void run(String measurement, String variant, int instances, List<OpenLoad.Phase> phases,
			Downstream downstream, Path out) throws Exception {
		ConfigurableApplicationContext context = OffloadApp.start(properties(variant, instances));
		try {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Offloader offloader = context.getBean(Offloader.class);
			Offloader[] targets = new Offloader[instances];
			Gauge[] limits = new Gauge[instances];
			Gauge[] queued = new Gauge[instances];
			for (int i = 0; i < instances; i++) {
				String name = executorName(instances, i + 1);
				targets[i] = offloader.executor(name);
				Gauge adaptive = registry.find("offload.limit").tag("executor", name).gauge();
				if (!variant.startsWith("fixed") && adaptive == null) {
					throw new UnsupportedOperationException("no offload.limit gauge for executor " + name
							+ ": this build has no adaptive limits (offload.executors." + name + ".adaptive.*)");
				}
				limits[i] = (adaptive != null) ? adaptive
						: registry.find("executor.pool.max").tag("name", "offload." + name).gauge();
				queued[i] = registry.find("executor.queued").tag("name", "offload." + name).gauge();
				if (limits[i] == null || queued[i] == null) {
					throw new IllegalStateException("no executor meters for " + name);
				}
			}
			OpenLoad load = new OpenLoad(phases, targets, downstream, (i) -> limits[i].value(),
					(i) -> queued[i].value());
			System.out.printf(Locale.ROOT, "%s %s: running %.0f s%n", measurement, variant,
					phases.stream().mapToDouble(OpenLoad.Phase::seconds).sum());
			load.run();
			write(measurement, variant, instances, phases, load, out);
		}
		finally {
			context.close();
		}
	}

	private static void write(String measurement, String variant, int instances, List<OpenLoad.Phase> phases,
			OpenLoad load, Path out) throws IOException {
		// Phase boundaries, in seconds since the start.
		double[] starts = new double[phases.size() + 1];
		for (int p = 0; p < phases.size(); p++) {
			starts[p + 1] = starts[p] + phases.get(p).seconds();
		}
		int bins = (int) Math.ceil(starts[phases.size()] * 1000 / OpenLoad.SAMPLE_MILLIS) + 20;
		int[][] perBin = new int[5][bins];
		int[] arrivals = new int[bins];
		for (int id = 0; id < load.submitted; id++) {
			double submitted = load.submittedAt[id] / 1e9;
			double ended = submitted + load.latencyMicros[id] / 1e6;
			arrivals[Math.min(bins - 1, (int) (submitted * 1000 / OpenLoad.SAMPLE_MILLIS))]++;
			perBin[load.outcome[id]][Math.min(bins - 1, (int) (ended * 1000 / OpenLoad.SAMPLE_MILLIS))]++;
		}
		double perSecond = 1000.0 / OpenLoad.SAMPLE_MILLIS;
		try (PrintWriter csv = new PrintWriter(
				Files.newBufferedWriter(out.resolve(measurement + "-" + variant + ".csv")))) {
			StringBuilder header = new StringBuilder("t,phase,limit");
			for (int i = 0; i < instances && instances > 1; i++) {
				header.append(",limit_").append(executorName(instances, i + 1));
			}
			header.append(
					",inflight_mean,inflight_max,queued,arrivals_per_s,goodput_per_s,timeouts_per_s,rejected_per_s");
			csv.println(header);
			for (OpenLoad.Sample s : load.samples) {
				int bin = (int) Math.round(s.t() * 1000 / OpenLoad.SAMPLE_MILLIS) - 1;
				if (bin < 0 || bin >= bins) {
					continue;
				}
				int active = phases.get(Math.max(0, s.phase())).instances();
				double limit = 0;
				for (int i = 0; i < active; i++) {
					limit += s.limits()[i];
				}
				StringBuilder row = new StringBuilder();
				row.append(String.format(Locale.ROOT, "%.2f,%s,%.1f", s.t(), phases.get(Math.max(0, s.phase())).name(),
						limit));
				for (int i = 0; i < instances && instances > 1; i++) {
					row.append(String.format(Locale.ROOT, ",%.1f", s.limits()[i]));
				}
				row.append(String.format(Locale.ROOT, ",%.2f,%d,%.0f,%.0f,%.0f,%.0f,%.0f", s.inFlightMean(),
						s.inFlightMax(), s.queued(), arrivals[bin] * perSecond,
						perBin[OpenLoad.SUCCESS][bin] * perSecond, perBin[OpenLoad.TIMEOUT][bin] * perSecond,
						perBin[OpenLoad.REJECTED][bin] * perSecond));
				csv.println(row);
			}
		}
		StringBuilder json = new StringBuilder();
		json.append("{\n  \"measurement\": \"").append(measurement).append("\",\n  \"variant\": \"").append(variant);
		json.append(String.format(Locale.ROOT,
				"\",\n  \"model\": {\"capacity\": %d, \"service_ms\": %.1f, \"k\": %.2f, \"timeout_ms\": %d, \"queue\": %d, "
						+ "\"initial_limit\": %d, \"max_limit\": %d},%n  \"phases\": [",
				CAPACITY, SERVICE_MILLIS, K, TIMEOUT_MILLIS, QUEUE, INITIAL_LIMIT, MAX_LIMIT));
		System.out.printf("%s %s%n  %-9s %7s %8s %8s %8s %7s %7s %7s %6s %6s %6s %6s%n", measurement, variant, "phase",
				"arr/s", "good/s", "timeout", "reject", "p50ms", "p99ms", "inflt", "infmax", "limit", "lim-end", "lag");
		for (int p = 0; p < phases.size(); p++) {
			OpenLoad.Phase phase = phases.get(p);
			int[] counts = new int[5];
			int[] latencies = new int[load.submitted];
			int successes = 0;
			for (int id = 0; id < load.submitted; id++) {
				if (load.phaseOf[id] == p) {
					counts[load.outcome[id]]++;
					if (load.outcome[id] == OpenLoad.SUCCESS) {
						latencies[successes++] = load.latencyMicros[id];
					}
				}
			}
			Arrays.sort(latencies, 0, successes);
			double p50 = percentile(latencies, successes, 0.50) / 1000.0;
			double p99 = percentile(latencies, successes, 0.99) / 1000.0;
			double inFlight = 0;
			double limit = 0;
			double limitEnd = 0;
			int inFlightMax = 0;
			int samples = 0;
			for (OpenLoad.Sample s : load.samples) {
				if (s.t() > starts[p] && s.t() <= starts[p + 1]) {
					inFlight += s.inFlightMean();
					inFlightMax = Math.max(inFlightMax, s.inFlightMax());
					double sum = 0;
					for (int i = 0; i < phase.instances(); i++) {
						sum += s.limits()[i];
					}
					limit += sum;
					limitEnd = sum;
					samples++;
				}
			}
			inFlight /= Math.max(1, samples);
			limit /= Math.max(1, samples);
			double seconds = phase.seconds();
			double[] pacing = load.pacing[p];
			System.out.printf(Locale.ROOT, "  %-9s %7.0f %8.0f %8d %8d %7.1f %7.1f %7.1f %6d %6.1f %6.1f %6.1f%n",
					phase.name(), pacing[0], counts[OpenLoad.SUCCESS] / seconds, counts[OpenLoad.TIMEOUT],
					counts[OpenLoad.REJECTED], p50, p99, inFlight, inFlightMax, limit, limitEnd, pacing[1]);
			json.append(String.format(Locale.ROOT,
					"%s%n    {\"name\": \"%s\", \"measured\": %s, \"start_s\": %.1f, \"seconds\": %.1f, \"instances\": %d, "
							+ "\"scheduled_rate\": %.1f, \"achieved_rate\": %.1f, \"pacer_lag_mean_ms\": %.3f, \"pacer_lag_max_ms\": %.1f, "
							+ "\"calls\": %d, \"success\": %d, \"timeout\": %d, \"rejected\": %d, \"error\": %d, "
							+ "\"goodput_per_s\": %.1f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, "
							+ "\"inflight_mean\": %.2f, \"inflight_max\": %d, \"limit_mean\": %.2f, \"limit_end\": %.1f}",
					(p == 0) ? "" : ",", phase.name(), phase.measured(), starts[p], seconds, phase.instances(),
					phase.rate(), pacing[0], pacing[1], pacing[2], counts[1] + counts[2] + counts[3] + counts[4],
					counts[OpenLoad.SUCCESS], counts[OpenLoad.TIMEOUT], counts[OpenLoad.REJECTED],
					counts[OpenLoad.ERROR], counts[OpenLoad.SUCCESS] / seconds, p50, p99, inFlight, inFlightMax, limit,
					limitEnd));
		}
		json.append("\n  ]\n}\n");
		Files.writeString(out.resolve(measurement + "-" + variant + ".json"), json);
	}

	private static double percentile(int[] sorted, int count, double q) {
		if (count == 0) {
			return Double.NaN;
		}
		return sorted[Math.min(count - 1, (int) Math.ceil(q * count) - 1)];
	}

}
