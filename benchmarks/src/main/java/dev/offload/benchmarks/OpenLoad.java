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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

import dev.offload.Offloader;

/**
 * Open-loop load for measurements I and J: one pacing thread submits calls at scheduled
 * instants (arrival {@code i} of a phase at {@code phaseStart + i / rate}), whatever
 * happened to the earlier ones; no caller ever waits for a result. When the pacer is late
 * (a busy machine), it submits the overdue arrivals at once, so the achieved rate of a
 * phase stays the scheduled one; its lag is recorded. The arrivals of a phase go round
 * robin to its first {@code instances} targets.
 * <p>
 * Each call's outcome (success, timeout, rejected, other error) and latency from
 * submission (queue wait included) is kept in arrays indexed by call; a sampler thread
 * records every {@value #SAMPLE_MILLIS} ms the limits of the targets and the downstream's
 * in-flight count (mean and maximum over the interval).
 */
final class OpenLoad {

	static final int SAMPLE_MILLIS = 100;

	static final byte SUCCESS = 1;

	static final byte TIMEOUT = 2;

	static final byte REJECTED = 3;

	static final byte ERROR = 4;

	/**
	 * One phase of a run.
	 *
	 * @param name its name
	 * @param seconds its duration
	 * @param rate arrivals per second, all instances together
	 * @param instances how many targets receive arrivals (round robin)
	 * @param start what to do to the downstream when it starts
	 * @param measured whether it counts (a warm-up does not)
	 */
	record Phase(String name, double seconds, double rate, int instances, Runnable start, boolean measured) {
	}

	/**
	 * What the sampler records.
	 *
	 * @param t seconds since the start of the run
	 * @param phase index of the phase
	 * @param limits the limit of each target
	 * @param inFlightMean the downstream's mean in-flight count over the interval
	 * @param inFlightMax its maximum over the interval
	 * @param queued calls waiting in the targets' queues, all together
	 */
	record Sample(double t, int phase, double[] limits, double inFlightMean, int inFlightMax, double queued) {
	}

	private final List<Phase> phases;

	private final Offloader[] targets;

	private final Downstream downstream;

	private final ToDoubleFunction<Integer> limitOf;

	private final ToDoubleFunction<Integer> queuedOf;

	final long[] submittedAt;

	final int[] latencyMicros;

	final byte[] outcome;

	final byte[] phaseOf;

	final byte[] target;

	private final AtomicInteger done = new AtomicInteger();

	final List<Sample> samples = new ArrayList<>();

	/** Per phase: achieved arrivals per second, mean and max lag of the pacer (ms). */
	final double[][] pacing;

	int submitted;

	long startNanos;

	OpenLoad(List<Phase> phases, Offloader[] targets, Downstream downstream, ToDoubleFunction<Integer> limitOf,
			ToDoubleFunction<Integer> queuedOf) {
		this.phases = phases;
		this.targets = targets;
		this.downstream = downstream;
		this.limitOf = limitOf;
		this.queuedOf = queuedOf;
		int max = 1000;
		for (Phase phase : phases) {
			max += (int) Math.ceil(phase.seconds() * phase.rate() * 1.02);
		}
		this.submittedAt = new long[max];
		this.latencyMicros = new int[max];
		this.outcome = new byte[max];
		this.phaseOf = new byte[max];
		this.target = new byte[max];
		this.pacing = new double[phases.size()][];
	}

	/** Runs all phases, then waits (bounded) for every call to end. */
	void run() throws InterruptedException {
		this.startNanos = System.nanoTime();
		Thread sampler = new Thread(this::sample, "open-load-sampler");
		sampler.setDaemon(true);
		sampler.setPriority(Thread.MAX_PRIORITY);
		sampler.start();
		long phaseStart = this.startNanos;
		int id = 0;
		for (int p = 0; p < this.phases.size(); p++) {
			Phase phase = this.phases.get(p);
			phase.start().run();
			long length = (long) (phase.seconds() * 1e9);
			double interval = 1e9 / phase.rate();
			double lagSum = 0;
			long lagMax = 0;
			int count = 0;
			for (long i = 0;; i++) {
				long due = phaseStart + (long) (i * interval);
				if (due - phaseStart >= length) {
					break;
				}
				long now = System.nanoTime();
				while (due - now > 0) {
					LockSupport.parkNanos(due - now);
					now = System.nanoTime();
				}
				lagSum += now - due;
				lagMax = Math.max(lagMax, now - due);
				submit(id++, p, (int) (i % phase.instances()));
				count++;
			}
			long end = phaseStart + length;
			long now = System.nanoTime();
			while (end - now > 0) {
				LockSupport.parkNanos(end - now);
				now = System.nanoTime();
			}
			this.pacing[p] = new double[] { count / ((now - phaseStart) / 1e9), lagSum / count / 1e6, lagMax / 1e6 };
			phaseStart = end;
		}
		this.submitted = id;
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (this.done.get() < id && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		sampler.interrupt();
		sampler.join();
		if (this.done.get() < id) {
			throw new IllegalStateException((id - this.done.get()) + " calls did not end within 10 s of the run");
		}
	}

	/** Phase currently running, for the sampler; -1 before the start. */
	private volatile int currentPhase;

	private void submit(int id, int phase, int instance) {
		this.currentPhase = phase;
		long at = System.nanoTime();
		this.submittedAt[id] = at - this.startNanos;
		this.phaseOf[id] = (byte) phase;
		this.target[id] = (byte) instance;
		CompletableFuture<Boolean> call;
		try {
			call = this.targets[instance].call(this.downstream::call);
		}
		catch (RejectedExecutionException ex) {
			record(id, at, REJECTED);
			return;
		}
		call.whenComplete((value, failure) -> record(id, at, classify(failure)));
	}

	private static byte classify(Throwable failure) {
		if (failure == null) {
			return SUCCESS;
		}
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof TimeoutException) {
			return TIMEOUT;
		}
		if (cause instanceof RejectedExecutionException) {
			return REJECTED;
		}
		return ERROR;
	}

	private void record(int id, long at, byte result) {
		this.latencyMicros[id] = (int) ((System.nanoTime() - at) / 1000);
		this.outcome[id] = result;
		this.done.incrementAndGet();
	}

	private void sample() {
		long next = this.startNanos;
		double lastIntegral = this.downstream.inFlightIntegral();
		long lastAt = System.nanoTime();
		this.downstream.takeMaxInFlight();
		while (!Thread.currentThread().isInterrupted()) {
			next += SAMPLE_MILLIS * 1_000_000L;
			long now = System.nanoTime();
			while (next - now > 0) {
				LockSupport.parkNanos(next - now);
				if (Thread.currentThread().isInterrupted()) {
					return;
				}
				now = System.nanoTime();
			}
			double integral = this.downstream.inFlightIntegral();
			long at = System.nanoTime();
			double mean = (integral - lastIntegral) / (at - lastAt);
			lastIntegral = integral;
			lastAt = at;
			double[] limits = new double[this.targets.length];
			double queued = 0;
			for (int i = 0; i < limits.length; i++) {
				limits[i] = this.limitOf.applyAsDouble(i);
				queued += this.queuedOf.applyAsDouble(i);
			}
			synchronized (this.samples) {
				this.samples.add(new Sample((at - this.startNanos) / 1e9, this.currentPhase, limits, mean,
						this.downstream.takeMaxInFlight(), queued));
			}
		}
	}

}
