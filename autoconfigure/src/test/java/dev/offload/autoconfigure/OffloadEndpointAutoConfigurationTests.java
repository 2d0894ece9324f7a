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

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.actuate.OffloadEndpoint;
import dev.offload.actuate.OffloadEndpoint.ExecutorDescriptor;
import dev.offload.actuate.OffloadEndpoint.VirtualExecutorDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadEndpointAutoConfiguration}.
 */
class OffloadEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadEndpointAutoConfiguration.class));

	@Test
	void endpointIsAvailableWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=offload")
			.run((context) -> assertThat(context).hasSingleBean(OffloadEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(OffloadEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=offload",
					"management.endpoint.offload.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(OffloadEndpoint.class));
	}

	@Test
	void endpointIsNotAvailableWhenOffloadIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=offload", "offload.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OffloadEndpoint.class));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void endpointWhenVirtualThreadsEnabledShouldShowTheBoundOfASizedExecutor() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=offload",
					"spring.threads.virtual.enabled=true", "offload.executors.jdbc.core-size=4",
					"offload.executors.jdbc.queue-capacity=10")
			.run((context) -> {
				Map<String, ExecutorDescriptor> executors = context.getBean(OffloadEndpoint.class)
					.offload()
					.executors();
				assertThat(executors.get("jdbc")).isEqualTo(new VirtualExecutorDescriptor("virtual", 0, 0, 4, 10, 0, 0,
						null, false, null, null, null, null, null, null));
				assertThat(executors.get("default")).isEqualTo(new VirtualExecutorDescriptor("virtual", 0, 0, null, 0,
						0, 0, null, false, null, null, null, null, null, null));
			});
	}

	@Test
	void starterWorksWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=offload")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(OffloadEndpoint.class);
				assertThat(context.getBean(Offloader.class).call(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
			});
	}

}
