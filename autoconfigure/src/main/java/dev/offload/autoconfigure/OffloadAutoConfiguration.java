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

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.system.JavaVersion;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import reactor.core.publisher.Mono;

import dev.offload.Offloader;
import dev.offload.ReactiveOffloader;
import dev.offload.aop.OffloadAnnotationBeanPostProcessor;
import dev.offload.context.ContextPropagator;
import dev.offload.context.ContextRegistryPropagator;
import dev.offload.executor.CallerRunsOffloader;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.OffloadCallObserver;
import dev.offload.executor.OffloadExecutors;
import dev.offload.reactive.CallerRunsReactiveOffloader;
import dev.offload.reactive.DefaultReactiveOffloader;

/**
 * Auto-configuration for {@link dev.offload.Offload @Offload} and the {@link Offloader}.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@EnableConfigurationProperties(OffloadProperties.class)
@ImportRuntimeHints(OffloadRuntimeHints.class)
@Import({ OffloadAutoConfiguration.EnabledConfiguration.class, OffloadAutoConfiguration.DisabledConfiguration.class,
		OffloadAutoConfiguration.ReactiveConfiguration.class,
		OffloadAutoConfiguration.DisabledReactiveConfiguration.class })
public final class OffloadAutoConfiguration {

	/**
	 * The property that switches offloading off.
	 */
	public static final String ENABLED_PROPERTY = "offload.enabled";

	// Only Spring Boot creates auto-configurations.
	OffloadAutoConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED_PROPERTY, matchIfMissing = true)
	@Import({ OffloadPropagationConfigurations.MdcConfiguration.class,
			OffloadPropagationConfigurations.LocaleConfiguration.class,
			OffloadPropagationConfigurations.SecurityConfiguration.class,
			OffloadPropagationConfigurations.ObservationConfiguration.class,
			OffloadPropagationConfigurations.ContextRegistryConfiguration.class })
	static class EnabledConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OffloadExecutors offloadExecutors(OffloadProperties properties, ConfigurableListableBeanFactory beanFactory,
				Environment environment, ObjectProvider<ContextPropagator> contextPropagators,
				ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<OffloadCallObserver> callObservers) {
			OffloadExecutors executors = new OffloadExecutorsFactory(properties, beanFactory, environment,
					contextPropagator(contextPropagators), taskDecorator(taskDecorators), JavaVersion.getJavaVersion())
				.create();
			callObservers.ifUnique(executors::setCallObserver);
			return executors;
		}

		private static ContextPropagator contextPropagator(ObjectProvider<ContextPropagator> contextPropagators) {
			return ContextPropagator.of(contextPropagators.orderedStream()
				.filter((propagator) -> !(propagator instanceof ContextRegistryPropagator registryPropagator)
						|| !registryPropagator.isEmpty())
				.toList());
		}

		/**
		 * Every TaskDecorator bean, in order, except Spring's
		 * ContextPropagatingTaskDecorator (registered by
		 * spring.task.execution.propagate-context): it would carry the same accessors a
		 * second time, the security context as the caller's own instance.
		 */
		private static @Nullable TaskDecorator taskDecorator(ObjectProvider<TaskDecorator> taskDecorators) {
			List<TaskDecorator> decorators = taskDecorators.orderedStream()
				.filter((decorator) -> !(decorator instanceof ContextPropagatingTaskDecorator))
				.toList();
			return decorators.isEmpty() ? null
					: (decorators.size() == 1) ? decorators.get(0) : new CompositeTaskDecorator(decorators);
		}

		@Bean
		@ConditionalOnMissingBean(Offloader.class)
		DefaultOffloader offloader(OffloadExecutors offloadExecutors) {
			return new DefaultOffloader(offloadExecutors);
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static OffloadAnnotationBeanPostProcessor offloadAnnotationBeanPostProcessor(
				ObjectProvider<OffloadExecutors> offloadExecutors, Environment environment) {
			OffloadAnnotationBeanPostProcessor postProcessor = new OffloadAnnotationBeanPostProcessor(
					offloadExecutors::getObject);
			postProcessor.setProxyTargetClass(
					environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE));
			return postProcessor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = ENABLED_PROPERTY, havingValue = false)
	static class DisabledConfiguration {

		@Bean
		@ConditionalOnMissingBean(Offloader.class)
		CallerRunsOffloader offloader() {
			return new CallerRunsOffloader();
		}

	}

	/**
	 * The {@link ReactiveOffloader}, where Reactor is on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	@ConditionalOnBooleanProperty(name = ENABLED_PROPERTY, matchIfMissing = true)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveOffloader.class)
		DefaultReactiveOffloader reactiveOffloader(OffloadExecutors offloadExecutors) {
			return new DefaultReactiveOffloader(offloadExecutors);
		}

	}

	/**
	 * The {@link ReactiveOffloader} that runs tasks on the subscribing thread, when
	 * offloading is off.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Mono.class)
	@ConditionalOnBooleanProperty(name = ENABLED_PROPERTY, havingValue = false)
	static class DisabledReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveOffloader.class)
		CallerRunsReactiveOffloader reactiveOffloader() {
			return new CallerRunsReactiveOffloader();
		}

	}

}
