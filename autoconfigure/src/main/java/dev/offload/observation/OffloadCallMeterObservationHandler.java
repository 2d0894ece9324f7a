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

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

import org.springframework.core.Ordered;

/**
 * The meter handler of the observations of offloaded calls, which records nothing: their
 * meters are {@code offload.calls} and {@code offload.wait}, recorded by Offload's own
 * metrics, with the same tags.
 * <p>
 * Spring Boot registers its {@code MeterObservationHandler}s as one
 * {@link io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler}:
 * for each observation, only the first handler that supports its context is called. This
 * one comes first and supports only {@link OffloadObservationContext}, so Boot's
 * {@code DefaultMeterObservationHandler} never sees a call's observation and adds no
 * {@code offload.call} timer, {@code offload.call.active} long task timer or event
 * counter, while every other observation is metered as before. An application that
 * registers a {@code DefaultMeterObservationHandler} on its registry by hand, outside
 * such a group, should do the same.
 *
 * @since 0.1.0
 */
public class OffloadCallMeterObservationHandler implements MeterObservationHandler<OffloadObservationContext>, Ordered {

	/**
	 * Creates the handler.
	 */
	public OffloadCallMeterObservationHandler() {
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof OffloadObservationContext;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
