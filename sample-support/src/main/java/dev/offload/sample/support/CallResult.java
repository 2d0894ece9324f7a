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

package dev.offload.sample.support;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * One blocking call, as the thread that ran it saw it.
 *
 * @param name what the call did
 * @param executor the offload executor it ran on, or {@code none} where it ran on the
 * request thread (Spring MVC) or the event loop (WebFlux)
 * @param thread the thread that ran it: {@code offload-jdbc-3}, or a request or
 * event-loop thread such as {@code reactor-http-nio-2}
 * @param millis how long it took, in milliseconds
 * @param requestId the request id in that thread's MDC, under {@link #REQUEST_ID_MDC_KEY}
 * @param user the name of the authenticated user that thread saw in
 * {@code SecurityContextHolder}
 * @param result what it found
 */
public record CallResult(String name, String executor, String thread, long millis, String requestId, String user,
		String result) {

	/**
	 * The MDC key of the request id, which each sample's request-id filter sets.
	 */
	public static final String REQUEST_ID_MDC_KEY = "requestId";

	private static final Log logger = LogFactory.getLog(CallResult.class);

	/**
	 * Runs a blocking call on the current thread, times it, notes what context the thread
	 * saw (the MDC and {@code SecurityContextHolder}, which blocking code reads, not a
	 * Reactor {@code Context}), and logs one line.
	 * @param <E> the checked exception that the call may throw
	 * @param name what the call does
	 * @param executor where it runs
	 * @param call the call
	 * @return its result
	 * @throws E if the call fails
	 */
	public static <E extends Exception> CallResult measure(String name, String executor, BlockingCall<E> call)
			throws E {
		long start = System.nanoTime();
		String result = call.call();
		long millis = (System.nanoTime() - start) / 1_000_000;
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String user = (authentication != null) ? authentication.getName() : null;
		logger.info(name + " took " + millis + " ms: " + result);
		return new CallResult(name, executor, Thread.currentThread().getName(), millis, MDC.get(REQUEST_ID_MDC_KEY),
				user, result);
	}

	/**
	 * A blocking call that returns a one-line description of what it found.
	 *
	 * @param <E> the checked exception it may throw
	 */
	@FunctionalInterface
	public interface BlockingCall<E extends Exception> {

		/**
		 * Makes the call.
		 * @return what it found
		 * @throws E if it fails
		 */
		String call() throws E;

	}

}
