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

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Carries the caller's current Micrometer {@link Observation}: the body runs inside a
 * scope of it, so an observation (a tracing span) the body starts is its child, with the
 * same trace id.
 *
 * @since 0.1.0
 */
public final class ObservationContextPropagator implements ContextPropagator, Ordered {

	/**
	 * The order of this propagator: after the MDC, so that tracing's MDC entries are
	 * written over the caller's map and removed before it is reset.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 400;

	private final ObservationRegistry registry;

	/**
	 * Creates a propagator.
	 * @param registry the registry whose current observation is carried
	 */
	public ObservationContextPropagator(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Object capture() {
		return this.registry.getCurrentObservation();
	}

	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		return (captured != null) ? ((Observation) captured).openScope() : null;
	}

	@Override
	public void reset(@Nullable Object restored) {
		if (restored != null) {
			((Observation.Scope) restored).close();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
