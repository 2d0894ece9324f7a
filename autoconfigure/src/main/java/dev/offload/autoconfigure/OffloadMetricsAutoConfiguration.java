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

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.offload.executor.OffloadExecutors;
import dev.offload.metrics.OffloadMetrics;

/**
 * Auto-configuration for the Micrometer meters of offloaded calls and the offload
 * executors: an {@link OffloadMetrics} binder, which Spring Boot's metrics
 * auto-configuration binds to the application's {@link MeterRegistry} once all singletons
 * exist.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OffloadAutoConfiguration.class, afterName = {
		// Spring Boot 4.x: spring-boot-micrometer-metrics
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		// Spring Boot 3.5: spring-boot-actuator-autoconfigure
		"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, OffloadExecutors.class })
public final class OffloadMetricsAutoConfiguration {

	// Only Spring Boot creates auto-configurations.
	OffloadMetricsAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	OffloadMetrics offloadMetrics(OffloadExecutors offloadExecutors) {
		return new OffloadMetrics(offloadExecutors);
	}

}
