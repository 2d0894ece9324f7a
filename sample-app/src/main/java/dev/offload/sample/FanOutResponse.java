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

package dev.offload.sample;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.offload.sample.support.CallResult;

/**
 * The answer of {@code GET /api/fanout} and {@code GET /api/sequential}.
 *
 * @param requestId the request id of the request
 * @param user the authenticated user who made it
 * @param outcome {@code succeeded}, {@code failed} or {@code timed out}
 * @param cause why the fan-out failed, or {@code null}
 * @param totalMillis how long the four calls took together, in milliseconds (for a failed
 * fan-out: until it failed)
 * @param sumOfCallMillis the sum of their durations: what they would take one after
 * another
 * @param calls the calls that succeeded, as the threads that ran them saw them
 * @param members how each member of the fan-out ended and how long it held its thread
 * ({@code null} for {@code /api/sequential})
 */
public record FanOutResponse(String requestId, String user, String outcome, @Nullable String cause, long totalMillis,
		long sumOfCallMillis, List<CallResult> calls, @Nullable List<MemberOutcome> members) {

	/**
	 * Combines the results of the calls.
	 * @param requestId the request id
	 * @param user the user
	 * @param startNanos {@link System#nanoTime()} when the calls started
	 * @param calls their results
	 * @return the answer
	 */
	static FanOutResponse of(String requestId, String user, long startNanos, List<CallResult> calls) {
		return of(requestId, user, startNanos, calls, null, null);
	}

	/**
	 * Combines the outcomes of a fan-out.
	 * @param requestId the request id
	 * @param user the user
	 * @param startNanos {@link System#nanoTime()} when the calls started
	 * @param calls the results of the calls that succeeded
	 * @param members how each member ended
	 * @param failure why the fan-out failed, or {@code null}
	 * @return the answer
	 */
	static FanOutResponse of(String requestId, String user, long startNanos, List<CallResult> calls,
			@Nullable List<MemberOutcome> members, @Nullable Throwable failure) {
		long totalMillis = (System.nanoTime() - startNanos) / 1_000_000;
		long sum = calls.stream().mapToLong(CallResult::millis).sum();
		String outcome = (failure == null) ? "succeeded"
				: (failure instanceof java.util.concurrent.TimeoutException) ? "timed out" : "failed";
		return new FanOutResponse(requestId, user, outcome, (failure != null) ? failure.getMessage() : null,
				totalMillis, sum, calls, members);
	}

}
