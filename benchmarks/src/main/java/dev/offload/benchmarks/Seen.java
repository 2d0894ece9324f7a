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

import java.util.Objects;

import org.slf4j.MDC;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The benchmark body, and what it saw: the caller's MDC entry and user, read on whatever
 * thread runs it. Every variant runs this same body, so a variant that does not propagate
 * is caught by the checks, and the body's own cost (a record, an empty
 * {@code SecurityContext} on a thread that has none) is part of every variant's figure,
 * {@code direct} included.
 *
 * @param requestId the MDC entry {@value #KEY}, or {@code null}
 * @param user the current authentication's name, or {@code null}
 */
public record Seen(String requestId, String user) {

	/** The MDC key the caller sets and the body reads. */
	public static final String KEY = "requestId";

	/** What a thread with no caller context sees. */
	public static final Seen NOTHING = new Seen(null, null);

	/**
	 * The body: reads one MDC entry and the current user.
	 * @return what this thread sees
	 */
	public static Seen look() {
		String requestId = MDC.get(KEY);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (requestId == null && authentication == null) {
			return NOTHING;
		}
		return new Seen(requestId, (authentication != null) ? authentication.getName() : null);
	}

	/**
	 * Returns whether this is what the given caller context should produce.
	 * @param requestId the caller's MDC entry
	 * @param user the caller's user
	 * @return whether they match
	 */
	public boolean is(String requestId, String user) {
		return Objects.equals(this.requestId, requestId) && Objects.equals(this.user, user);
	}

}
