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

package dev.offload.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.offload.executor.OffloadCallObserver;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadOutcome;

/**
 * Makes each offloaded call a Micrometer {@link Observation} (with a tracer, a span):
 * started on the caller thread when the call is made, as a child of the caller's current
 * observation; marked with the event {@value #STARTED_EVENT} when a worker takes the
 * call, so that a trace shows how long it waited in the queue; in scope on the worker
 * while the body runs, so that what the body observes is its child; and stopped once,
 * when the call's outcome is decided, with the key {@code outcome} and, for an error, a
 * timeout or a rejection, the exception.
 * <p>
 * A call is observed only while the registry has a handler and no
 * {@code ObservationPredicate} switches the observation off; Spring Boot's
 * auto-configuration uses this observer only when the application has a tracer. The
 * observation has no meters of its own: {@link OffloadCallMeterObservationHandler} keeps
 * a {@code MeterObservationHandler} from adding a second timer next to
 * {@code offload.calls}.
 *
 * @since 0.1.0
 */
public class OffloadCallObservations implements OffloadCallObserver {

	/**
	 * The name of the event marking when a worker took the call, the end of its wait.
	 */
	public static final String STARTED_EVENT = "offload.started";

	/**
	 * The event, without a wall time of its own (which {@code Event.of} would fix when it
	 * is made, in milliseconds): the tracer stamps it with its own clock when the worker
	 * takes the call, in the same units as the span's start.
	 */
	private static final Observation.Event STARTED = new Observation.Event() {

		@Override
		public String getName() {
			return STARTED_EVENT;
		}

		@Override
		public String getContextualName() {
			return STARTED_EVENT;
		}

	};

	private final ObservationRegistry registry;

	private final @Nullable OffloadObservationConvention convention;

	/**
	 * Creates an observer with the default convention.
	 * @param registry the registry the observations are made in
	 */
	public OffloadCallObservations(ObservationRegistry registry) {
		this(registry, null);
	}

	/**
	 * Creates an observer.
	 * @param registry the registry the observations are made in
	 * @param convention the convention that replaces the default one, or {@code null}
	 */
	public OffloadCallObservations(ObservationRegistry registry, @Nullable OffloadObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public @Nullable Object callSubmitted(OffloadCallSite site) {
		ObservationRegistry registry = this.registry;
		if (registry.isNoop()) {
			return null;
		}
		Observation observation = Observation.createNotStarted(this.convention,
				DefaultOffloadObservationConvention.INSTANCE, () -> new OffloadObservationContext(site), registry);
		return observation.isNoop() ? null : observation.start();
	}

	@Override
	public void callStarted(Object observation) {
		((Observation) observation).event(STARTED);
	}

	@Override
	public Object openScope(Object observation) {
		return ((Observation) observation).openScope();
	}

	@Override
	public void closeScope(Object scope) {
		((Observation.Scope) scope).close();
	}

	@Override
	public void callCompleted(Object observation, OffloadOutcome outcome, @Nullable Throwable failure) {
		Observation call = (Observation) observation;
		if (call.getContext() instanceof OffloadObservationContext context) {
			context.setOutcome(outcome);
		}
		if (failure != null && outcome != OffloadOutcome.CANCELLED) {
			call.error(failure);
		}
		call.stop();
	}

}
