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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A model of a downstream that an overloaded database resembles, for measurements I and J
 * of {@code docs/performance.md}: {@code capacity} calls run at full speed, each needing
 * {@code serviceMillis} of work; past the capacity, the calls stay inside (holding their
 * caller's thread, blocked) and the downstream's total throughput <em>falls</em>.
 * <p>
 * Processor sharing with a thrashing penalty: with {@code n} calls in flight each makes
 * progress at the rate {@code min(1, C/n) * eff(n)} (work per unit of time), where
 * {@code eff(n) = 1 / (1 + k * max(0, n - C) / C)}. Up to {@code C} calls, each finishes
 * in the service time and the throughput is {@code n / service}; past it, the throughput
 * is {@code C / service * eff(n)}: with {@code k = 0.5} and {@code C = 16}, 64 calls in
 * flight give 0.4 of the capacity and 200 calls 0.15 of it (lock contention, cache and
 * buffer thrashing, context switches of the real thing).
 * <p>
 * One scheduler thread ticks every ~1 ms: it advances every call by the rate times the
 * real time elapsed since its last tick (so a late tick loses no time) and releases the
 * calls that are done. A caller blocked in {@link #call()} waits on its own latch,
 * interruptibly: an interrupted call (a timeout or a cancel of the offloaded call) leaves
 * the downstream at once. The capacity can be changed at runtime, and an outage makes
 * every call hang (no progress) until it is interrupted or the outage ends.
 * <p>
 * The downstream integrates its in-flight count over time, so that a sampler can read the
 * mean in-flight count of any interval ({@link #inFlightIntegral()}), and keeps the
 * maximum since the last {@link #takeMaxInFlight()}.
 */
public final class Downstream implements AutoCloseable {

	private static final long TICK_NANOS = 1_000_000;

	private final double serviceNanos;

	private final double k;

	private final List<Call> calls = new ArrayList<>();

	private final Thread ticker;

	private volatile int capacity;

	private volatile boolean outage;

	private volatile boolean closed;

	// Guarded by this.calls.
	private double integralNanos;

	private long lastIntegralAt = System.nanoTime();

	private int maxInFlight;

	private long completed;

	/**
	 * Creates and starts the downstream.
	 * @param capacity calls that run at full speed ({@code C})
	 * @param serviceMillis the work of one call, in milliseconds at full speed
	 * @param k the thrashing penalty past the capacity
	 */
	public Downstream(int capacity, double serviceMillis, double k) {
		this.capacity = capacity;
		this.serviceNanos = serviceMillis * 1_000_000;
		this.k = k;
		this.ticker = new Thread(this::tickLoop, "downstream-ticker");
		this.ticker.setDaemon(true);
		this.ticker.setPriority(Thread.MAX_PRIORITY);
		this.ticker.start();
	}

	/**
	 * Makes one call: blocks until the downstream has done its work.
	 * @return {@code true}
	 * @throws InterruptedException when interrupted; the call has left the downstream
	 */
	public Boolean call() throws InterruptedException {
		Call call = new Call(this.serviceNanos);
		synchronized (this.calls) {
			integrate(System.nanoTime());
			this.calls.add(call);
			this.maxInFlight = Math.max(this.maxInFlight, this.calls.size());
		}
		try {
			call.done.await();
			return Boolean.TRUE;
		}
		catch (InterruptedException ex) {
			synchronized (this.calls) {
				integrate(System.nanoTime());
				this.calls.remove(call);
			}
			throw ex;
		}
	}

	/**
	 * The rate at which each of {@code n} calls in flight progresses, at capacity
	 * {@code c}: {@code min(1, c/n) * eff(n)}.
	 * @param n calls in flight
	 * @param c the capacity
	 * @param k the thrashing penalty
	 * @return the work per unit of time of each call
	 */
	static double rate(int n, int c, double k) {
		if (n <= c) {
			return 1.0;
		}
		double eff = 1.0 / (1.0 + k * (n - c) / c);
		return ((double) c / n) * eff;
	}

	/**
	 * {@return the throughput at {@code n} calls in flight, in calls per second}
	 * @param n calls in flight
	 */
	public double throughputAt(int n) {
		return n * rate(n, this.capacity, this.k) * 1e9 / this.serviceNanos;
	}

	/**
	 * @param capacity the new capacity ({@code C})
	 */
	public void setCapacity(int capacity) {
		this.capacity = capacity;
	}

	/**
	 * @return the capacity ({@code C})
	 */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * @param outage whether every call hangs (makes no progress)
	 */
	public void setOutage(boolean outage) {
		this.outage = outage;
	}

	/**
	 * @return the calls in flight now
	 */
	public int inFlight() {
		synchronized (this.calls) {
			return this.calls.size();
		}
	}

	/**
	 * @return the integral of the in-flight count over time, in call-nanoseconds
	 */
	public double inFlightIntegral() {
		synchronized (this.calls) {
			integrate(System.nanoTime());
			return this.integralNanos;
		}
	}

	/**
	 * @return the most calls in flight since the last call of this method
	 */
	public int takeMaxInFlight() {
		synchronized (this.calls) {
			int max = this.maxInFlight;
			this.maxInFlight = this.calls.size();
			return max;
		}
	}

	/**
	 * @return the calls the downstream has completed
	 */
	public long completed() {
		synchronized (this.calls) {
			return this.completed;
		}
	}

	private void integrate(long now) {
		this.integralNanos += (double) this.calls.size() * (now - this.lastIntegralAt);
		this.lastIntegralAt = now;
	}

	private void tickLoop() {
		long last = System.nanoTime();
		List<Call> finished = new ArrayList<>();
		while (!this.closed) {
			LockSupport.parkNanos(TICK_NANOS - (System.nanoTime() - last) % TICK_NANOS);
			long now = System.nanoTime();
			long elapsed = now - last;
			last = now;
			synchronized (this.calls) {
				integrate(now);
				int n = this.calls.size();
				if (n == 0 || this.outage) {
					continue;
				}
				double progress = elapsed * rate(n, this.capacity, this.k);
				for (int i = this.calls.size() - 1; i >= 0; i--) {
					Call call = this.calls.get(i);
					call.remaining -= progress;
					if (call.remaining <= 0) {
						// Swap-remove: the order of calls does not matter.
						int lastIndex = this.calls.size() - 1;
						this.calls.set(i, this.calls.get(lastIndex));
						this.calls.remove(lastIndex);
						finished.add(call);
					}
				}
				this.completed += finished.size();
			}
			for (Call call : finished) {
				call.done.countDown();
			}
			finished.clear();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.ticker.interrupt();
	}

	private static final class Call {

		final CountDownLatch done = new CountDownLatch(1);

		double remaining;

		Call(double remaining) {
			this.remaining = remaining;
		}

	}

}
