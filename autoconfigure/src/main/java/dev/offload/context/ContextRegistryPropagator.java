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
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
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

	private final ContextSnapshotFactory snapshotFactory;

	private final boolean empty;

	/**
	 * Creates a propagator for the accessors of the given registry.
	 * @param registry the registry, usually {@link ContextRegistry#getInstance()}
	 */
	public ContextRegistryPropagator(ContextRegistry registry) {
		ContextRegistry accessors = new ContextRegistry();
		for (ThreadLocalAccessor<?> accessor : registry.getThreadLocalAccessors()) {
			if (!BUILT_IN_ACCESSORS.contains(accessor.getClass().getName())) {
				accessors.registerThreadLocalAccessor(accessor);
			}
		}
		this.empty = accessors.getThreadLocalAccessors().isEmpty();
		this.snapshotFactory = ContextSnapshotFactory.builder().contextRegistry(accessors).build();
	}

	/**
	 * Returns whether there is no accessor to propagate, so that this propagator can be
	 * left out.
	 * @return whether there is nothing to propagate
	 */
	public boolean isEmpty() {
		return this.empty;
	}

	@Override
	public @Nullable Object capture() {
		return this.empty ? null : this.snapshotFactory.captureAll();
	}

	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		return (captured != null) ? ((ContextSnapshot) captured).setThreadLocals() : null;
	}

	@Override
	public void reset(@Nullable Object restored) {
		if (restored != null) {
			((ContextSnapshot.Scope) restored).close();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
