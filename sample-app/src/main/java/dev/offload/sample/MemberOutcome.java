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

import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadScope.Member;

/**
 * How one member of the fan-out ended, as {@code GET /api/fanout} reports it.
 *
 * @param name what the call did
 * @param executor the offload executor it ran on
 * @param outcome {@code succeeded}, {@code failed}, {@code cancelled} or {@code running}
 * @param heldThreadMillis how long its body held a worker thread, in milliseconds: a
 * cancelled member's body is interrupted, so it holds its thread only until then (unless
 * its blocking call ignores interrupts)
 * @param error why it did not succeed, or {@code null}
 */
public record MemberOutcome(String name, String executor, String outcome, long heldThreadMillis,
		@Nullable String error) {

	/**
	 * Describes a member.
	 * @param name what the call did
	 * @param executor where it ran
	 * @param member the member
	 * @return its outcome
	 */
	static MemberOutcome of(String name, String executor, Member<?> member) {
		Throwable ex = member.exception();
		String error = (ex == null) ? null : (ex instanceof CancellationException) ? ex.getMessage()
				: ex.getClass().getSimpleName() + ": " + ex.getMessage();
		return new MemberOutcome(name, executor, member.state().name().toLowerCase(), member.heldThread().toMillis(),
				error);
	}

}
