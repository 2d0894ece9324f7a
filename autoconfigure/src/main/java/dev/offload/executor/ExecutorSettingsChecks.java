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

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadConfigurationException;

/**
 * The checks of an executor's settings, shared by startup and by resizing a live executor
 * through the {@code offload} endpoint, so that both refuse a value with the same
 * message. Each names the setting by its property key.
 *
 * @since 0.1.0
 */
public final class ExecutorSettingsChecks {

	private ExecutorSettingsChecks() {
	}

	/**
	 * Returns the property prefix of an executor's settings.
	 * @param name the executor's name
	 * @return {@code offload.executors.<name>.}
	 */
	public static String prefix(String name) {
		return "offload.executors." + name + ".";
	}

	/**
	 * Checks that a count, if set, is at least a minimum.
	 * @param key the property key
	 * @param value the value, or {@code null} if not set
	 * @param minimum the smallest value allowed
	 * @throws OffloadConfigurationException if the value is smaller
	 */
	public static void checkAtLeast(String key, @Nullable Integer value, int minimum) {
		if (value != null && value < minimum) {
			throw OffloadConfigurationException.invalidProperty(key,
					"it is " + value + ", but it must be " + minimum + " or more.",
					"Set " + key + " to " + minimum + " or more, or remove it to use the default.");
		}
	}

	/**
	 * Checks that a duration, if set, is positive (or zero, when allowed).
	 * @param key the property key
	 * @param value the value, or {@code null} if not set
	 * @param zeroAllowed whether zero is allowed
	 * @throws OffloadConfigurationException if the value is negative, or zero when not
	 * allowed
	 */
	public static void checkPositive(String key, @Nullable Duration value, boolean zeroAllowed) {
		if (value != null && (value.isNegative() || (!zeroAllowed && value.isZero()))) {
			throw OffloadConfigurationException.invalidProperty(key,
					"it is " + value + ", but it must be " + (zeroAllowed ? "zero or positive." : "positive."),
					"Set " + key + " to a " + (zeroAllowed ? "non-negative" : "positive")
							+ " duration such as 500ms or 5s, or remove it to use the default.");
		}
	}

	/**
	 * Checks that a pool's maximum size is not below its core size.
	 * @param name the executor's name
	 * @param coreSize the core size, or {@code null} if not set
	 * @param maxSize the maximum size, or {@code null} if not set
	 * @throws OffloadConfigurationException if the maximum is below the core size
	 */
	public static void checkMaxSize(String name, @Nullable Integer coreSize, @Nullable Integer maxSize) {
		String prefix = prefix(name);
		if (coreSize != null && maxSize != null && maxSize < coreSize) {
			throw OffloadConfigurationException.invalidProperty(prefix + "max-size",
					"it is " + maxSize + ", smaller than core-size (" + coreSize + ").",
					"Set " + prefix + "max-size to at least core-size, or lower " + prefix + "core-size.");
		}
	}

	/**
	 * Refuses pool settings on a virtual executor.
	 * @param name the executor's name
	 * @param poolKeys the pool settings given (such as {@code core-size}), none if empty
	 * @throws OffloadConfigurationException if any is given
	 */
	public static void checkNoPoolKeysOnVirtual(String name, List<String> poolKeys) {
		String prefix = prefix(name);
		if (!poolKeys.isEmpty()) {
			throw OffloadConfigurationException.invalidProperty(prefix + poolKeys.get(0),
					"executor '" + name + "' is virtual (one new thread per call), so it has no pool to size, but "
							+ String.join(", ", poolKeys) + " is set.",
					"Bound a virtual executor with " + prefix + "max-concurrency (and queue-capacity), or remove "
							+ prefix + "virtual to use a pool of platform threads.");
		}
	}

	/**
	 * Checks the bounds of an adaptive limit: each 1 or more, the minimum not above the
	 * maximum, and the initial limit, if given, between them.
	 * @param name the executor's name
	 * @param initialLimit the initial limit, or {@code null} if not checked
	 * @param minLimit the lowest limit
	 * @param maxLimit the highest limit
	 * @throws OffloadConfigurationException naming the offending key
	 */
	public static void checkLimits(String name, @Nullable Integer initialLimit, int minLimit, int maxLimit) {
		String prefix = prefix(name) + "adaptive.";
		checkAtLeast(prefix + "min-limit", minLimit, 1);
		checkAtLeast(prefix + "max-limit", maxLimit, 1);
		if (initialLimit != null) {
			checkAtLeast(prefix + "initial-limit", initialLimit, 1);
		}
		if (minLimit > maxLimit) {
			throw OffloadConfigurationException.invalidProperty(prefix + "min-limit",
					"it is " + minLimit + ", above max-limit (" + maxLimit + ").",
					"Set " + prefix + "min-limit to at most max-limit, or raise " + prefix + "max-limit.");
		}
		if (initialLimit != null && (initialLimit < minLimit || initialLimit > maxLimit)) {
			throw OffloadConfigurationException.invalidProperty(prefix + "initial-limit",
					"it is " + initialLimit + ", outside [min-limit, max-limit] = [" + minLimit + ", " + maxLimit
							+ "].",
					"Set " + prefix + "initial-limit between " + minLimit + " and " + maxLimit + ", or widen " + prefix
							+ "min-limit and max-limit.");
		}
	}

	/**
	 * Refuses fixed sizes on an adaptive executor, whose size follows its limit.
	 * @param name the executor's name
	 * @param sizeKeys the fixed sizes given ({@code core-size}, {@code max-size},
	 * {@code max-concurrency}), none if empty
	 * @throws OffloadConfigurationException if any is given
	 */
	public static void checkNoFixedSizesOnAdaptive(String name, List<String> sizeKeys) {
		String prefix = prefix(name);
		if (!sizeKeys.isEmpty()) {
			throw OffloadConfigurationException.invalidProperty(prefix + sizeKeys.get(0),
					"executor '" + name + "' is adaptive (adaptive.enabled=true): its concurrency follows its limit, "
							+ "but the fixed size " + String.join(", ", sizeKeys) + " is set as well.",
					"Remove " + String.join(", ", sizeKeys) + " and bound the limit with " + prefix
							+ "adaptive.min-limit and adaptive.max-limit, or set " + prefix
							+ "adaptive.enabled=false to keep fixed sizes.");
		}
	}

	/**
	 * Refuses a concurrency limit on a pool of platform threads.
	 * @param name the executor's name
	 * @param maxConcurrency the limit, or {@code null} if not set
	 * @throws OffloadConfigurationException if it is set
	 */
	public static void checkNoMaxConcurrencyOnPlatform(String name, @Nullable Integer maxConcurrency) {
		String prefix = prefix(name);
		if (maxConcurrency != null) {
			throw OffloadConfigurationException.invalidProperty(prefix + "max-concurrency",
					"it only applies to virtual executors, and executor '" + name + "' uses platform threads.",
					"Set " + prefix + "virtual=true (Java 21+), or bound the pool with " + prefix
							+ "max-size and remove max-concurrency.");
		}
	}

}
