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

package dev.offload.autoconfigure;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.offload.executor.OffloadCallObserver;
import dev.offload.executor.OffloadExecutors;
import dev.offload.observation.OffloadCallMeterObservationHandler;
import dev.offload.observation.OffloadCallObservations;
import dev.offload.observation.OffloadObservationConvention;

/**
 * Auto-configuration that makes each offloaded call a Micrometer observation, and so a
 * tracing span: with Micrometer Tracing on the classpath, an {@link ObservationRegistry}
 * bean, and {@code offload.observation.enabled} and
 * {@code offload.propagation.observation} on (the defaults). Calls are observed only when
 * the application has a {@link Tracer} bean; else the observer is
 * {@link OffloadCallObserver#NONE} and a call costs what it cost without one.
 * <p>
 * After Spring Boot's observation and metrics auto-configurations, so that the meter
 * handler registered here joins Boot's group of meter handlers rather than replacing its
 * {@code DefaultMeterObservationHandler} (Boot 3.5 backs off when it finds one already).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OffloadAutoConfiguration.class, afterName = {
		// Spring Boot 4.x: spring-boot-micrometer-observation and -metrics
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		// Spring Boot 3.5: spring-boot-actuator-autoconfigure
		"org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration" })
@ConditionalOnClass({ ObservationRegistry.class, Tracer.class })
@ConditionalOnBean({ ObservationRegistry.class, OffloadExecutors.class })
@ConditionalOnBooleanProperty(
		name = { OffloadObservationAutoConfiguration.ENABLED_PROPERTY, "offload.propagation.observation" },
		matchIfMissing = true)
public final class OffloadObservationAutoConfiguration {

	/**
	 * The property that switches the observation of calls off.
	 */
	public static final String ENABLED_PROPERTY = "offload.observation.enabled";

	// Only Spring Boot creates auto-configurations.
	OffloadObservationAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	OffloadCallObserver offloadCallObserver(ObservationRegistry observationRegistry, ObjectProvider<Tracer> tracer,
			ObjectProvider<OffloadObservationConvention> convention) {
		Tracer found = tracer.getIfUnique();
		if (found == null || found == Tracer.NOOP) {
			// No span to make: calls stay unobserved, on the path of a call without an
			// observer.
			return OffloadCallObserver.NONE;
		}
		return new OffloadCallObservations(observationRegistry, convention.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterObservationHandler.class)
	static class MeterHandlerConfiguration {

		@Bean
		OffloadCallMeterObservationHandler offloadCallMeterObservationHandler() {
			return new OffloadCallMeterObservationHandler();
		}

	}

}
