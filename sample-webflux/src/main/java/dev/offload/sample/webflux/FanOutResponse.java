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

package dev.offload.sample.webflux;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.offload.sample.support.CallResult;

/**
 * The answer of {@code GET /api/fanout}.
 *
 * @param requestId the request id, as the handler found it in the Reactor {@code Context}
 * @param user the authenticated user who made the request, likewise
 * @param totalMillis how long the calls took together, in milliseconds
 * @param sumOfCallMillis the sum of their durations: what they would take one after
 * another
 * @param calls the calls, as the threads that ran them saw them
 */
public record FanOutResponse(@Nullable String requestId, @Nullable String user, long totalMillis, long sumOfCallMillis,
		List<CallResult> calls) {

	/**
	 * Combines the results of the calls.
	 * @param requestId the request id
	 * @param user the user
	 * @param startNanos {@link System#nanoTime()} when the calls started
	 * @param calls their results
	 * @return the answer
	 */
	static FanOutResponse of(@Nullable String requestId, @Nullable String user, long startNanos,
			List<CallResult> calls) {
		long totalMillis = (System.nanoTime() - startNanos) / 1_000_000;
		long sum = calls.stream().mapToLong(CallResult::millis).sum();
		return new FanOutResponse(requestId, user, totalMillis, sum, calls);
	}

}
