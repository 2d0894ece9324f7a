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

import java.util.Map;

import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Carries the SLF4J {@link MDC}: the worker sees a copy of the caller's map, and its own
 * map is put back afterwards (normally: emptied).
 * <p>
 * This propagator owns the whole MDC map. Where tracing also writes trace ids into the
 * MDC, it does so while the caller's observation scope is open on the worker, which is
 * opened after the MDC is restored and closed before it is reset; so the trace ids the
 * body logs are its span's, and the worker ends clean.
 *
 * @since 0.1.0
 */
public final class MdcContextPropagator implements ContextPropagator, Ordered {

	/**
	 * The order of this propagator: first, so that everything after it can log with the
	 * caller's MDC.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.util.LogbackMDCAdapter",
			MdcContextPropagator.class.getClassLoader());

	/**
	 * Creates a propagator.
	 */
	public MdcContextPropagator() {
	}

	@Override
	public @Nullable Object capture() {
		Map<String, String> map = snapshot();
		return (map == null || map.isEmpty()) ? null : map;
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable Object restore(@Nullable Object captured) {
		Map<String, String> previous = snapshot();
		if (captured != null) {
			MDC.setContextMap((Map<String, String>) captured);
		}
		else if (previous != null) {
			MDC.clear();
		}
		return (previous == null || previous.isEmpty()) ? null : previous;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void reset(@Nullable Object restored) {
		if (restored != null) {
			MDC.setContextMap((Map<String, String>) restored);
		}
		else {
			MDC.clear();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Returns an immutable snapshot of the current thread's MDC. With Logback, that is
	 * its own read-only copy of the map, which it builds once after the map changes and
	 * keeps until the next change (it is the one every log event of the thread carries):
	 * a caller whose MDC did not change since its last call or log line pays for no copy.
	 * Otherwise, a copy.
	 */
	private static @Nullable Map<String, String> snapshot() {
		MDCAdapter adapter = MDC.getMDCAdapter();
		if (LOGBACK_PRESENT && LogbackSnapshot.supports(adapter)) {
			return LogbackSnapshot.of(adapter);
		}
		return MDC.getCopyOfContextMap();
	}

	/**
	 * Kept apart so that Logback's classes are loaded only where Logback is present.
	 */
	private static final class LogbackSnapshot {

		static boolean supports(@Nullable MDCAdapter adapter) {
			return adapter instanceof LogbackMDCAdapter;
		}

		static @Nullable Map<String, String> of(MDCAdapter adapter) {
			// An unmodifiable view of a copy that Logback never changes: it makes a
			// new one after the next put, remove, clear or setContextMap.
			return ((LogbackMDCAdapter) adapter).getPropertyMap();
		}

	}

}
