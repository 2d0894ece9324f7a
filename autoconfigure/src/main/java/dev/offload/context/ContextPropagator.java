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

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Carries one kind of the caller's thread-bound context to the worker: captured once on
 * the caller thread, restored on the worker before the body runs, and reset after it (and
 * after the dependent stages the worker runs), so the worker ends exactly as it was
 * before the call.
 * <p>
 * Offload registers one for the MDC, Spring Security, the current Micrometer
 * {@code Observation}, the {@code LocaleContextHolder} and the accessors registered in
 * Micrometer's {@code ContextRegistry}. Declare a bean of this type to carry context of
 * your own; beans are applied in {@link org.springframework.core.Ordered order}, and
 * reset in reverse.
 * <p>
 * Implementations keep their per-call cost low: {@code capture} returns {@code null} when
 * there is nothing to carry, and a snapshot must be immutable (or a copy): what the
 * caller changes after the call must not reach the body.
 *
 * @since 0.1.0
 */
public interface ContextPropagator {

	/**
	 * A propagator that carries nothing.
	 */
	ContextPropagator NONE = new ContextPropagator() {

		@Override
		public @Nullable Object capture() {
			return null;
		}

		@Override
		public @Nullable Object restore(@Nullable Object captured) {
			return null;
		}

		@Override
		public void reset(@Nullable Object restored) {
		}

	};

	/**
	 * Captures the current thread's context; called on the caller thread.
	 * @return an immutable snapshot, or {@code null} when there is nothing to carry
	 */
	@Nullable Object capture();

	/**
	 * Installs a snapshot on the current thread; called on the worker before the body.
	 * @param captured what {@link #capture()} returned
	 * @return what {@link #reset(Object)} needs to put the worker back as it was
	 */
	@Nullable Object restore(@Nullable Object captured);

	/**
	 * Returns a propagator that applies the given ones in order and resets them in
	 * reverse.
	 * @param propagators the propagators
	 * @return a single propagator
	 */
	static ContextPropagator of(List<? extends ContextPropagator> propagators) {
		if (propagators.isEmpty()) {
			return NONE;
		}
		if (propagators.size() == 1) {
			return propagators.get(0);
		}
		return new CompositeContextPropagator(propagators);
	}

	/**
	 * Puts the worker back as it was before {@link #restore(Object)}; called after the
	 * body and after the caller's future has completed.
	 * @param restored what {@link #restore(Object)} returned
	 */
	void reset(@Nullable Object restored);

}
