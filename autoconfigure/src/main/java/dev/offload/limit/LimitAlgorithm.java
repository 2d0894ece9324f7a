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

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The algorithms an adaptive executor can use, by the name of
 * {@code offload.executors.<name>.adaptive.algorithm}. Naming one loads nothing of
 * {@code concurrency-limits}, so that a name can be checked before that library is known
 * to be there.
 *
 * @since 0.1.0
 */
public enum LimitAlgorithm {

	/**
	 * TCP Vegas: estimates the calls queued in the downstream from how far the run time
	 * has risen above the shortest seen, and keeps that estimate small.
	 */
	VEGAS("vegas"),

	/**
	 * Gradient2: follows the ratio of a long-term average of the run time to the latest
	 * one.
	 */
	GRADIENT2("gradient2"),

	/**
	 * Additive increase, multiplicative decrease: grows by one while calls succeed,
	 * shrinks by a tenth at each drop; sees drops only, never the run time.
	 */
	AIMD("aimd");

	/** The algorithm of an executor that names none. */
	public static final LimitAlgorithm DEFAULT = VEGAS;

	private final String value;

	LimitAlgorithm(String value) {
		this.value = value;
	}

	/**
	 * Returns the algorithm of a name, in any case.
	 * @param name the name
	 * @return the algorithm, or {@code null} if there is none of that name
	 */
	public static @Nullable LimitAlgorithm of(String name) {
		String lower = name.trim().toLowerCase(Locale.ROOT);
		for (LimitAlgorithm algorithm : values()) {
			if (algorithm.value.equals(lower)) {
				return algorithm;
			}
		}
		return null;
	}

	/**
	 * Returns the names of all algorithms, for a message.
	 * @return e.g. {@code "vegas, gradient2, aimd"}
	 */
	public static String names() {
		return Arrays.stream(values()).map(LimitAlgorithm::toString).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return this.value;
	}

}
