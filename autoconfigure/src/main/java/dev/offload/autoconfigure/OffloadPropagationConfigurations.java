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

import io.micrometer.context.ContextRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.context.ContextRegistryPropagator;
import dev.offload.context.LocaleContextPropagator;
import dev.offload.context.MdcContextPropagator;
import dev.offload.context.ObservationContextPropagator;
import dev.offload.context.SecurityContextPropagator;

/**
 * The built-in context propagators, one configuration per kind: each applies when its
 * library is on the classpath and its {@code offload.propagation.*} switch is on.
 */
final class OffloadPropagationConfigurations {

	private OffloadPropagationConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MDC.class)
	@ConditionalOnBooleanProperty(name = "offload.propagation.mdc", matchIfMissing = true)
	static class MdcConfiguration {

		@Bean
		MdcContextPropagator offloadMdcContextPropagator() {
			return new MdcContextPropagator();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "offload.propagation.locale", matchIfMissing = true)
	static class LocaleConfiguration {

		@Bean
		LocaleContextPropagator offloadLocaleContextPropagator() {
			return new LocaleContextPropagator();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityContextHolder.class)
	@ConditionalOnBooleanProperty(name = "offload.propagation.security", matchIfMissing = true)
	static class SecurityConfiguration {

		@Bean
		SecurityContextPropagator offloadSecurityContextPropagator() {
			return new SecurityContextPropagator();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBooleanProperty(name = "offload.propagation.observation", matchIfMissing = true)
	static class ObservationConfiguration {

		@Bean
		ObservationContextPropagator offloadObservationContextPropagator(
				ObjectProvider<ObservationRegistry> observationRegistry) {
			// The current observation is held per thread, not per registry, so any
			// registry
			// reads it; the application's is used when there is one.
			return new ObservationContextPropagator(observationRegistry.getIfAvailable(ObservationRegistry::create));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ContextRegistry.class)
	static class ContextRegistryConfiguration {

		@Bean
		ContextRegistryPropagator offloadContextRegistryPropagator() {
			return new ContextRegistryPropagator(ContextRegistry.getInstance());
		}

	}

}
