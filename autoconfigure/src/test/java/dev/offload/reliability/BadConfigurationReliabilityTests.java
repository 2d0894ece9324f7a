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

package dev.offload.reliability;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.offload.autoconfigure.OffloadAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad configuration from the environment: a value with a wrong unit or type fails startup
 * with a message naming the key.
 */
class BadConfigurationReliabilityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class));

	@Test
	void environmentVariableWithWrongUnitFailsStartupNamingTheKey() {
		assertBindFailure(Map.of("OFFLOAD_EXECUTORS_JDBC_TIMEOUT", "5parsecs"), "offload.executors.jdbc.timeout",
				"5parsecs");
	}

	@Test
	void environmentVariableWithWrongTypeFailsStartupNamingTheKey() {
		assertBindFailure(Map.of("OFFLOAD_EXECUTORS_JDBC_CORESIZE", "ten"), "offload.executors.jdbc.core-size", "ten");
	}

	private void assertBindFailure(Map<String, Object> environment, String key, String value) {
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource(
						StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)))
			.run((context) -> {
				assertThat(context).hasFailed();
				BindException bindException = findBindException(context.getStartupFailure());
				assertThat(bindException.getProperty().getName().toString()).isEqualTo(key);
				assertThat(bindException.getProperty().getValue()).isEqualTo(value);
				assertThat(bindException.getMessage()).contains("Failed to bind properties under '" + key + "'");
				Load.report("bad configuration", bindException.getMessage() + " (value '" + value + "' from "
						+ bindException.getProperty().getOrigin() + ")");
			});
	}

	private static BindException findBindException(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof BindException bindException) {
				return bindException;
			}
		}
		throw new AssertionError("No BindException in " + failure, failure);
	}

}
