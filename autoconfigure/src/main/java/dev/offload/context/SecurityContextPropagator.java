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

package dev.offload.context;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Carries the caller's Spring Security {@link Authentication}. The worker gets its own
 * {@link SecurityContext} holding that authentication, never the caller's instance: a
 * body that changes its authentication changes neither the caller's context nor anyone
 * else's.
 *
 * @since 0.1.0
 */
public final class SecurityContextPropagator implements ContextPropagator, Ordered {

	/**
	 * The order of this propagator.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 300;

	/**
	 * Creates a propagator.
	 */
	public SecurityContextPropagator() {
	}

	@Override
	public @Nullable Object capture() {
		return SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
	}

	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
		SecurityContext previous = strategy.getContext();
		if (captured != null) {
			SecurityContext context = strategy.createEmptyContext();
			context.setAuthentication((Authentication) captured);
			strategy.setContext(context);
			// The body never sees the worker's own context, so it can be put back as it
			// is: on a
			// pooled worker, the empty one, which the next call then finds instead of
			// creating
			// another (and a new thread-local entry) after a clear.
			return previous;
		}
		if (previous.getAuthentication() != null) {
			strategy.clearContext();
			return previous;
		}
		// The body sees, and may change, the worker's empty context: it is cleared
		// afterwards.
		return null;
	}

	@Override
	public void reset(@Nullable Object restored) {
		SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
		if (restored != null) {
			strategy.setContext((SecurityContext) restored);
		}
		else {
			strategy.clearContext();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
