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
package dev.offload.executor;

import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The concurrency limit an adaptive executor obeys, and what it learns from: one sample
 * per body that ran. The executor calls it around each body and follows its limit (the
 * threads of a pool, the permits of a virtual executor); how the limit moves is the
 * implementation's business ({@code dev.offload.limit}), so this package knows nothing of
 * the algorithms.
 * <p>
 * Every method may be called from many threads at once. {@link #bodyStarted()} and
 * {@link #bodyEnded} are called in pairs, on the thread that runs the body, whatever
 * happens to the call: together they keep the count of bodies in flight exact.
 *
 * @since 0.1.0
 */
public interface CallLimiter {

	/**
	 * Returns the current limit: at most this many bodies run at once.
	 * @return the limit, 1 or more
	 */
	int getLimit();

	/**
	 * Returns the lowest the limit may fall to.
	 * @return the minimum limit
	 */
	int getMinLimit();

	/**
	 * Returns the highest the limit may rise to.
	 * @return the maximum limit
	 */
	int getMaxLimit();

	/**
	 * Changes the bounds of the limit while calls run; a limit outside the new bounds
	 * moves to the nearest one at once.
	 * @param minLimit the lowest limit, 1 or more
	 * @param maxLimit the highest limit, at least {@code minLimit}
	 * @throws IllegalArgumentException if the bounds are inconsistent
	 */
	void setBounds(int minLimit, int maxLimit);

	/**
	 * Returns the name of the algorithm that moves the limit.
	 * @return e.g. {@code vegas}
	 */
	String getAlgorithm();

	/**
	 * Returns how many bodies run now, as the limiter counts them.
	 * @return the bodies in flight
	 */
	int getInFlight();

	/**
	 * Sets what to tell when the limit moves; the executor's own way of following it.
	 * Only one listener is kept.
	 * @param listener called with the new limit, on the thread whose sample moved it
	 */
	void onLimitChange(IntConsumer listener);

	/**
	 * Says that a body starts now.
	 * @return the number of bodies in flight, this one included
	 */
	int bodyStarted();

	/**
	 * Says that a body has returned, and what happened to its call.
	 * @param runNanos how long the body ran (the queue wait is not part of it)
	 * @param inFlight what {@link #bodyStarted()} returned for this body
	 * @param outcome the call's outcome if it was decided while the body ran (a timeout,
	 * a cancel), else {@code null}
	 * @param failure what the body threw, or {@code null} if it returned
	 */
	void bodyEnded(long runNanos, int inFlight, @Nullable OffloadOutcome outcome, @Nullable Throwable failure);

}
