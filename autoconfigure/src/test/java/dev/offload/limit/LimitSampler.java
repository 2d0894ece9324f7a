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
package dev.offload.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadExecutor;

/**
 * Samples an adaptive executor every few milliseconds for the whole of a test: its limit,
 * the bodies it runs and the calls inside the downstream; and records every sample that
 * breaks a bound (the limit outside its bounds, more bodies running than the maximum
 * limit), so that a test checks the bounds throughout a run, not only at its end.
 */
final class LimitSampler implements AutoCloseable {

	/**
	 * One sample: when, the limit, the bodies running, the calls inside the downstream.
	 */
	record Sample(long nanos, int limit, int active, int inside) {
	}

	private final OffloadExecutor executor;

	private final CallLimiter limiter;

	private final SimulatedDownstream downstream;

	private final List<Sample> samples = new ArrayList<>();

	private final List<String> violations = new ArrayList<>();

	private final Thread thread;

	private volatile boolean stopped;

	LimitSampler(OffloadExecutor executor, SimulatedDownstream downstream) {
		this.executor = executor;
		CallLimiter limiter = executor.getLimiter();
		if (limiter == null) {
			throw new IllegalArgumentException(executor + " is not adaptive");
		}
		this.limiter = limiter;
		this.downstream = downstream;
		this.thread = new Thread(this::run, "limit-sampler");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		while (!this.stopped) {
			sample();
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void sample() {
		int min = this.limiter.getMinLimit();
		int max = this.limiter.getMaxLimit();
		int limit = this.limiter.getLimit();
		int active = this.executor.getActiveCount();
		Sample sample = new Sample(System.nanoTime(), limit, active, this.downstream.inside());
		synchronized (this) {
			this.samples.add(sample);
			if (limit < min || limit > max) {
				this.violations.add("limit " + limit + " outside [" + min + ", " + max + "]");
			}
			if (active > max) {
				this.violations.add(active + " bodies running, above max-limit " + max);
			}
		}
	}

	/**
	 * Returns the mean of a figure over the samples of the last {@code millis}.
	 */
	synchronized double mean(long millis, ToIntFunction<Sample> figure) {
		long since = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis);
		return this.samples.stream()
			.filter((sample) -> sample.nanos() - since >= 0)
			.mapToInt(figure)
			.average()
			.orElseThrow();
	}

	/**
	 * Returns the smallest limit seen over the samples of the last {@code millis}.
	 */
	synchronized int minLimit(long millis) {
		long since = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis);
		return this.samples.stream()
			.filter((sample) -> sample.nanos() - since >= 0)
			.mapToInt(Sample::limit)
			.min()
			.orElseThrow();
	}

	synchronized List<String> violations() {
		return new ArrayList<>(this.violations);
	}

	synchronized int sampleCount() {
		return this.samples.size();
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		this.thread.join(TimeUnit.SECONDS.toMillis(5));
		sample();
	}

}
