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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.offload.actuate.OffloadEndpoint;
import dev.offload.actuate.OffloadEndpointWebExtension;
import dev.offload.executor.OffloadExecutors;
import dev.offload.reconfigure.ReconfigurationStatus;

/**
 * Auto-configuration for the {@code offload} Actuator {@link OffloadEndpoint endpoint}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OffloadAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class OffloadEndpointAutoConfiguration {

	// Only Spring Boot creates auto-configurations.
	OffloadEndpointAutoConfiguration() {
	}

	// On the method, not the class: the condition's class must only be loaded once
	// @ConditionalOnClass has matched.
	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnMissingBean
	@ConditionalOnBean(OffloadExecutors.class)
	OffloadEndpoint offloadEndpoint(OffloadExecutors offloadExecutors,
			ObjectProvider<ReconfigurationStatus> reconfigurationStatus) {
		return new OffloadEndpoint(offloadExecutors, reconfigurationStatus.getIfAvailable());
	}

	@Bean
	@ConditionalOnAvailableEndpoint(endpoint = OffloadEndpoint.class, exposure = EndpointExposure.WEB)
	@ConditionalOnMissingBean
	@ConditionalOnBean(OffloadEndpoint.class)
	OffloadEndpointWebExtension offloadEndpointWebExtension(OffloadEndpoint offloadEndpoint) {
		return new OffloadEndpointWebExtension(offloadEndpoint);
	}

}
