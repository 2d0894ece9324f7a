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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.functions.Log10RootIntFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadOutcome;

/**
 * The limiter of an adaptive executor: an algorithm of Netflix's
 * {@code concurrency-limits} fed one sample per body, its limit kept within
 * {@code [min-limit, max-limit]} and handed to the executor when it moves.
 * <p>
 * The library's own limiters are not used: they reject a call over the limit (or block
 * its caller), where an executor queues it. Only its {@link Limit} algorithms are, and
 * this class does what they leave to a limiter:
 * <ul>
 * <li>a sample is a body's run time, and whether its call was a <em>drop</em> (it timed
 * out, or the body failed with one of the {@link DropExceptions}); a cancelled call, or a
 * body that failed for its own reasons, gives no sample;</li>
 * <li>Vegas keeps the calls queued in the downstream between 10 and 20 % of its limit (at
 * least 2 and 4) rather than 3 and 6 calls, moves by half steps, and sees a drop as a
 * very slow sample, so that a body interrupted at once by its timeout is not taken for
 * the no-load run time;</li>
 * <li>the bounds: Vegas has no lower bound of its own, so its decrease stops at
 * {@code min-limit}; Gradient2 ignores drops, so a drop reaches it as a run time four
 * times its long-term average, which its gradient halves, taken while the executor is
 * busy (it ignores samples taken while less than half its limit is in flight); and its
 * headroom is log10 of its limit (1 below 100) instead of 4 calls, which kept it at 8 or
 * more under any overload;</li>
 * <li>new bounds while calls run: the algorithm starts again from the current limit,
 * clamped into them (its learned run times are lost);</li>
 * <li>one INFO line each time the limit has halved or doubled since the last one.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class AdaptiveLimiter implements CallLimiter {

	private static final Log logger = LogFactory.getLog(AdaptiveLimiter.class);

	private static final IntUnaryOperator LOG10 = Log10RootIntFunction.create(0);

	/** The run time of a drop as Vegas sees it: longer than any real one. */
	private static final long DROP_RTT_NANOS = TimeUnit.HOURS.toNanos(1);

	private static final IntConsumer NO_LISTENER = (limit) -> {
	};

	private final String executorName;

	private final LimitAlgorithm algorithm;

	private final DropExceptions drops;

	private final AtomicInteger inFlight = new AtomicInteger();

	/** Guards the bounds, the algorithm's replacement and the limit's publication. */
	private final Object monitor = new Object();

	private volatile Limit delegate;

	private volatile int minLimit;

	private volatile int maxLimit;

	private volatile int limit;

	private volatile IntConsumer listener = NO_LISTENER;

	/** The limit of the last INFO line (guarded by {@link #monitor}). */
	private int loggedLimit;

	/**
	 * Creates a limiter.
	 * @param executorName the name of the executor, for its log lines
	 * @param algorithm the algorithm
	 * @param initialLimit the limit until the first samples move it
	 * @param minLimit the lowest limit, 1 or more
	 * @param maxLimit the highest limit
	 * @param drops what failures count as drops
	 * @throws IllegalArgumentException if the limits are inconsistent
	 */
	public AdaptiveLimiter(String executorName, LimitAlgorithm algorithm, int initialLimit, int minLimit, int maxLimit,
			DropExceptions drops) {
		checkBounds(minLimit, maxLimit);
		if (initialLimit < minLimit || initialLimit > maxLimit) {
			throw new IllegalArgumentException(
					"Initial limit " + initialLimit + " outside [" + minLimit + ", " + maxLimit + "]");
		}
		this.executorName = executorName;
		this.algorithm = algorithm;
		this.drops = drops;
		this.minLimit = minLimit;
		this.maxLimit = maxLimit;
		this.limit = initialLimit;
		this.loggedLimit = initialLimit;
		this.delegate = newDelegate(initialLimit, minLimit, maxLimit);
	}

	private static void checkBounds(int minLimit, int maxLimit) {
		if (minLimit < 1 || maxLimit < minLimit) {
			throw new IllegalArgumentException("Invalid limits: min " + minLimit + ", max " + maxLimit);
		}
	}

	private Limit newDelegate(int initialLimit, int minLimit, int maxLimit) {
		Limit created = switch (this.algorithm) {
			// Calls queued in the downstream kept between 10 and 20 % of the limit (at
			// least 2 and 4), where the library keeps 3 to 6 calls below a limit of 100,
			// which is above the capacity by construction, and N times that for N
			// instances. Half steps, so that a run time a few calls old does not swing
			// the limit (measured: I and J of docs/performance.md).
			case VEGAS -> VegasLimit.newBuilder()
				.alphaFunction((limit) -> Math.max(2, limit / 10))
				.betaFunction((limit) -> Math.max(4, limit / 5))
				.smoothing(0.5)
				.initialLimit(initialLimit)
				.maxConcurrency(maxLimit)
				.decreaseFunction((limit) -> Math.max(minLimit, limit - LOG10.applyAsInt((int) limit)))
				.build();
			// Its default headroom of 4 calls keeps it at 8 or more under any overload
			// (at gradient 0.5 it settles where limit = limit / 2 + headroom).
			case GRADIENT2 -> Gradient2Limit.newBuilder()
				.queueSizeFunction(LOG10)
				.initialLimit(initialLimit)
				.minLimit(minLimit)
				.maxConcurrency(maxLimit)
				.build();
			case AIMD ->
				AIMDLimit.newBuilder().initialLimit(initialLimit).minLimit(minLimit).maxLimit(maxLimit).build();
		};
		created.notifyOnChange((moved) -> publish(created, moved));
		return created;
	}

	@Override
	public int getLimit() {
		return this.limit;
	}

	@Override
	public int getMinLimit() {
		return this.minLimit;
	}

	@Override
	public int getMaxLimit() {
		return this.maxLimit;
	}

	@Override
	public String getAlgorithm() {
		return this.algorithm.toString();
	}

	@Override
	public int getInFlight() {
		return this.inFlight.get();
	}

	@Override
	public void onLimitChange(IntConsumer listener) {
		this.listener = listener;
	}

	@Override
	public void setBounds(int minLimit, int maxLimit) {
		checkBounds(minLimit, maxLimit);
		synchronized (this.monitor) {
			this.minLimit = minLimit;
			this.maxLimit = maxLimit;
			int current = Math.min(maxLimit, Math.max(minLimit, this.limit));
			Limit replacement = newDelegate(current, minLimit, maxLimit);
			this.delegate = replacement;
			publish(replacement, current);
		}
	}

	@Override
	public int bodyStarted() {
		return this.inFlight.incrementAndGet();
	}

	@Override
	public void bodyEnded(long runNanos, int inFlight, @Nullable OffloadOutcome outcome, @Nullable Throwable failure) {
		this.inFlight.decrementAndGet();
		boolean drop;
		if (outcome == OffloadOutcome.TIMEOUT) {
			drop = true;
		}
		else if (outcome != null) {
			// Cancelled by its caller, or cut off at shutdown: nothing learned.
			return;
		}
		else if (failure != null) {
			if (!this.drops.isDrop(failure)) {
				return;
			}
			drop = true;
		}
		else {
			drop = false;
		}
		Limit delegate = this.delegate;
		long rtt = Math.max(1, runNanos);
		int busy = inFlight;
		if (drop && delegate instanceof VegasLimit) {
			// A drop's run time says nothing of the downstream's (a body interrupted
			// at once by its timeout ran for microseconds), and Vegas would take the
			// shortest for its no-load run time: it sees a drop as a very slow sample.
			rtt = DROP_RTT_NANOS;
		}
		else if (drop && delegate instanceof Gradient2Limit gradient) {
			// Gradient2 ignores drops, and any sample taken while less than half its
			// limit is in flight: a drop reaches it as a slow sample of a busy executor.
			rtt = Math.max(rtt, 4 * Math.max(1, gradient.getRttNoLoad(TimeUnit.NANOSECONDS)));
			busy = Math.max(busy, this.limit);
		}
		try {
			delegate.onSample(0, rtt, busy, drop);
		}
		catch (RuntimeException ex) {
			// The call went on; only this sample is lost.
			if (logger.isDebugEnabled()) {
				logger.debug("Adaptive limit of offload executor '" + this.executorName + "' could not take a sample",
						ex);
			}
		}
	}

	private void publish(Limit source, int moved) {
		synchronized (this.monitor) {
			// A sample that reached an algorithm replaced by new bounds moves nothing.
			if (source != this.delegate) {
				return;
			}
			int bounded = Math.min(this.maxLimit, Math.max(this.minLimit, moved));
			if (bounded == this.limit) {
				return;
			}
			this.limit = bounded;
			try {
				this.listener.accept(bounded);
			}
			catch (RuntimeException ex) {
				logger.warn(
						"Offload executor '" + this.executorName + "' could not follow its adaptive limit " + bounded,
						ex);
			}
			if (bounded * 2 <= this.loggedLimit || bounded >= this.loggedLimit * 2) {
				if (logger.isInfoEnabled()) {
					logger.info("Offload executor '" + this.executorName + "': adaptive limit " + this.loggedLimit
							+ " -> " + bounded + " (" + this.algorithm + ", " + this.inFlight.get()
							+ " in flight, bounds [" + this.minLimit + ", " + this.maxLimit + "])");
				}
				this.loggedLimit = bounded;
			}
		}
	}

	@Override
	public String toString() {
		return "AdaptiveLimiter[" + this.executorName + ", " + this.algorithm + ", limit " + this.limit + "]";
	}

}
