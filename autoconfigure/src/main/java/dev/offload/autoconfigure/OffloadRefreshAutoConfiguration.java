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

import java.util.Locale;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.system.JavaVersion;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.offload.executor.OffloadExecutors;
import dev.offload.reconfigure.ReconfigurationStatus;

/**
 * Auto-configuration of live configuration: when Spring Cloud refreshes the environment
 * ({@code /actuator/refresh}, Spring Cloud Bus, Spring Cloud Kubernetes' reload: each
 * ends in an {@link EnvironmentChangeEvent}) and a changed key is an {@code offload.*}
 * one, the executors take their new sizes, queue capacities, timeouts and adaptive bounds
 * while they run; the keys that only a restart applies are reported
 * ({@link ReconfigurationStatus}, shown by the {@code offload} endpoint).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OffloadAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean(OffloadExecutors.class)
public final class OffloadRefreshAutoConfiguration {

	// Only Spring Boot creates auto-configurations.
	OffloadRefreshAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	ReconfigurationStatus offloadReconfigurationStatus() {
		return new ReconfigurationStatus();
	}

	@Bean
	EnvironmentChangeListener offloadEnvironmentChangeListener(ApplicationContext applicationContext,
			OffloadExecutors offloadExecutors, ConfigurableEnvironment environment, BeanFactory beanFactory,
			ReconfigurationStatus offloadReconfigurationStatus) {
		return new EnvironmentChangeListener(applicationContext, new OffloadConfigurationRefresher(offloadExecutors,
				environment, beanFactory, JavaVersion.getJavaVersion(), offloadReconfigurationStatus));
	}

	/**
	 * Refreshes the executors on an {@link EnvironmentChangeEvent} of this context whose
	 * keys include an {@code offload.*} one. First among the event's listeners, so that
	 * Spring Cloud's rebinding of other beans, should it fail, cannot keep the executors
	 * from their new settings.
	 */
	static final class EnvironmentChangeListener implements ApplicationListener<EnvironmentChangeEvent>, Ordered {

		private final ApplicationContext applicationContext;

		private final OffloadConfigurationRefresher refresher;

		EnvironmentChangeListener(ApplicationContext applicationContext, OffloadConfigurationRefresher refresher) {
			this.applicationContext = applicationContext;
			this.refresher = refresher;
		}

		@Override
		public void onApplicationEvent(EnvironmentChangeEvent event) {
			// As Spring Cloud's own rebinder: events of child contexts reach this one
			// too.
			if (event.getSource() != this.applicationContext && !event.getKeys().equals(event.getSource())) {
				return;
			}
			for (String key : event.getKeys()) {
				// Any form of the key: offload.executors.io.core-size,
				// OFFLOAD_EXECUTORS_IO_CORESIZE.
				if (key.toLowerCase(Locale.ROOT).startsWith("offload")) {
					this.refresher.refresh();
					return;
				}
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
