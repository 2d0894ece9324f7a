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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.MDC;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The correctness check every variant passes before each iteration: from a fresh caller
 * thread, calls made with a context see exactly that context, and calls made afterwards
 * without one (on workers that have just run a call with context) see nothing. A variant
 * that fails throws, so it produces no figure.
 */
public final class Checks {

	private static final int CALLS = 16;

	private static final AtomicInteger rounds = new AtomicInteger();

	private Checks() {
	}

	/**
	 * Checks a variant.
	 * @param variant the variant's name, for the message
	 * @param call the variant
	 * @param propagates whether the variant carries the caller's context (all but
	 * {@code rawSupplyAsync})
	 */
	public static void verify(String variant, RoundTrip call, boolean propagates) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread caller = new Thread(() -> {
			try {
				check(variant, call, propagates);
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
			finally {
				MDC.clear();
				SecurityContextHolder.clearContext();
			}
		}, "check-" + variant);
		caller.start();
		done.join();
	}

	private static void check(String variant, RoundTrip call, boolean propagates) throws Exception {
		int round = rounds.incrementAndGet();
		String requestId = "check-req-" + round;
		String user = "check-user-" + round;
		MDC.put(Seen.KEY, requestId);
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(user, "n/a"));
		for (int i = 0; i < CALLS; i++) {
			Seen seen = call.call();
			if (propagates ? !seen.is(requestId, user) : !seen.is(null, null)) {
				throw new IllegalStateException(variant + ": the worker saw " + seen + ", expected "
						+ (propagates ? new Seen(requestId, user) : Seen.NOTHING));
			}
		}
		MDC.clear();
		SecurityContextHolder.clearContext();
		for (int i = 0; i < CALLS; i++) {
			Seen seen = call.call();
			if (!seen.is(null, null)) {
				throw new IllegalStateException(
						variant + ": a call with no caller context saw " + seen + " (context leaked on the worker)");
			}
		}
	}

}
