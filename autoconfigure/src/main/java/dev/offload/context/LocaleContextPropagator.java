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

import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;

/**
 * Carries the caller's {@link LocaleContextHolder} locale context (locale and time zone).
 *
 * @since 0.1.0
 */
public final class LocaleContextPropagator implements ContextPropagator, Ordered {

	/**
	 * The order of this propagator.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 200;

	/**
	 * Creates a propagator.
	 */
	public LocaleContextPropagator() {
	}

	@Override
	public @Nullable Object capture() {
		return LocaleContextHolder.getLocaleContext();
	}

	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		LocaleContext previous = LocaleContextHolder.getLocaleContext();
		if (captured != null || previous != null) {
			LocaleContextHolder.setLocaleContext((LocaleContext) captured);
		}
		return previous;
	}

	@Override
	public void reset(@Nullable Object restored) {
		if (restored != null) {
			LocaleContextHolder.setLocaleContext((LocaleContext) restored);
		}
		else if (LocaleContextHolder.getLocaleContext() != null) {
			// Cleared only when something is set: clearing removes the holder's two
			// thread-local
			// entries, which the next call's read would create again.
			LocaleContextHolder.resetLocaleContext();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
