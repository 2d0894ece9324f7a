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

import java.util.Set;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Carries every {@link ThreadLocalAccessor} registered in Micrometer's
 * {@link ContextRegistry}, except the kinds Offload propagates itself.
 * <p>
 * Spring Security and Micrometer Observation register accessors of their own through the
 * {@code ServiceLoader}. Left in, they would keep propagating the security context and
 * the observation even with {@code offload.propagation.security} or {@code observation}
 * off, and Spring Security's accessor would hand the worker the caller's very
 * {@code SecurityContext} instance. So those, and context-propagation's SLF4J accessor
 * (the MDC is {@link MdcContextPropagator}'s), are left out; the accessors are read once,
 * when this propagator is created.
 *
 * @since 0.1.0
 */
public final class ContextRegistryPropagator implements ContextPropagator, Ordered {

	/**
	 * The order of this propagator: after the built-in kinds.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 500;

	private static final Set<String> BUILT_IN_ACCESSORS = Set.of(
			"org.springframework.security.core.context.SecurityContextHolderThreadLocalAccessor",
			"org.springframework.security.core.context.ReactiveSecurityContextHolderThreadLocalAccessor",
			"io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor",
			"io.micrometer.context.integration.Slf4jThreadLocalAccessor");

	private final ThreadLocalAccessor<?>[] accessors;

	/**
	 * Creates a propagator for the accessors of the given registry.
	 * @param registry the registry, usually {@link ContextRegistry#getInstance()}
	 */
	public ContextRegistryPropagator(ContextRegistry registry) {
		this.accessors = registry.getThreadLocalAccessors()
			.stream()
			.filter((accessor) -> !BUILT_IN_ACCESSORS.contains(accessor.getClass().getName()))
			.toArray(ThreadLocalAccessor<?>[]::new);
	}

	/**
	 * Returns whether there is no accessor to propagate, so that this propagator can be
	 * left out.
	 * @return whether there is nothing to propagate
	 */
	public boolean isEmpty() {
		return this.accessors.length == 0;
	}

	// Capture, restore and reset do what Micrometer's ContextSnapshot does with
	// captureAll(), setThreadLocals() and Scope.close() (a value that is null is not
	// captured and not set; what was set is put back with restore(previous), or
	// restore() where there was none), by hand: its snapshot and scope are hash maps
	// keyed by accessor key, three to four objects per call for a list of accessors
	// that is fixed here at startup; an array indexed like the accessors is one.

	@Override
	public @Nullable Object capture() {
		ThreadLocalAccessor<?>[] accessors = this.accessors;
		@Nullable Object[] values = null;
		for (int i = 0; i < accessors.length; i++) {
			Object value = accessors[i].getValue();
			if (value != null) {
				if (values == null) {
					values = new Object[accessors.length];
				}
				values[i] = value;
			}
		}
		return values;
	}

	/**
	 * Sets the captured values. Returns what {@link #reset} needs: the captured array
	 * itself when every value it replaced was {@code null} (the usual clean worker, no
	 * allocation), else the previous values, one slot longer, the captured array in the
	 * last slot.
	 */
	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		if (captured == null) {
			return null;
		}
		@Nullable Object[] values = (@Nullable Object[]) captured;
		ThreadLocalAccessor<?>[] accessors = this.accessors;
		@Nullable Object[] previous = null;
		for (int i = 0; i < accessors.length; i++) {
			Object value = values[i];
			if (value != null) {
				Object current = accessors[i].getValue();
				if (current != null) {
					if (previous == null) {
						previous = new Object[accessors.length + 1];
						previous[accessors.length] = values;
					}
					previous[i] = current;
				}
				set(accessors[i], value);
			}
		}
		return (previous != null) ? previous : values;
	}

	@Override
	public void reset(@Nullable Object restored) {
		if (restored == null) {
			return;
		}
		ThreadLocalAccessor<?>[] accessors = this.accessors;
		@Nullable Object[] array = (@Nullable Object[]) restored;
		boolean withPrevious = array.length > accessors.length;
		@Nullable Object[] values = withPrevious ? (@Nullable Object[]) array[accessors.length] : array;
		for (int i = 0; i < accessors.length; i++) {
			if (values != null && values[i] != null) {
				Object previous = withPrevious ? array[i] : null;
				if (previous != null) {
					restore(accessors[i], previous);
				}
				else {
					accessors[i].restore();
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static <V> void set(ThreadLocalAccessor<V> accessor, Object value) {
		accessor.setValue((V) value);
	}

	@SuppressWarnings("unchecked")
	private static <V> void restore(ThreadLocalAccessor<V> accessor, Object previous) {
		accessor.restore((V) previous);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
