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

import java.util.Arrays;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot's metrics auto-configurations, by name, for whichever line is on the test
 * classpath: Boot 4 has them in {@code spring-boot-micrometer-metrics}
 * ({@code org.springframework.boot.micrometer.metrics.autoconfigure}), Boot 3.5 in
 * {@code spring-boot-actuator-autoconfigure}
 * ({@code org.springframework.boot.actuate.autoconfigure.metrics}). Naming them lets the
 * metrics tests run on every line's BOM.
 */
public final class MetricsAutoConfigurations {

	/**
	 * Whether the classpath has Spring Boot 4's metrics module.
	 */
	public static final boolean BOOT_4 = ClassUtils
		.isPresent("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration", null);

	private static final String PACKAGE = BOOT_4 ? "org.springframework.boot.micrometer.metrics.autoconfigure."
			: "org.springframework.boot.actuate.autoconfigure.metrics.";

	private MetricsAutoConfigurations() {
	}

	/**
	 * Returns the auto-configurations that give an application a {@code MeterRegistry} (a
	 * simple one) with Boot's meter filters and binders.
	 * @return {@code MetricsAutoConfiguration},
	 * {@code SimpleMetricsExportAutoConfiguration} and
	 * {@code CompositeMeterRegistryAutoConfiguration}
	 */
	public static AutoConfigurations registry() {
		return of("MetricsAutoConfiguration", "export.simple.SimpleMetricsExportAutoConfiguration",
				"CompositeMeterRegistryAutoConfiguration");
	}

	/**
	 * Returns Boot's {@code TaskExecutorMetricsAutoConfiguration}, which meters the
	 * application's {@code ThreadPoolTaskExecutor} beans.
	 * @return the task executor metrics auto-configuration
	 */
	public static AutoConfigurations taskExecutor() {
		return of("task.TaskExecutorMetricsAutoConfiguration");
	}

	/**
	 * Returns Spring Boot's {@code ObservationAutoConfiguration}: an
	 * {@code ObservationRegistry} with the handler beans in their groups, and Boot's
	 * {@code DefaultMeterObservationHandler} when there is a {@code MeterRegistry} (Boot
	 * 4 registers that one in {@code MetricsAutoConfiguration}).
	 * @return the observation auto-configuration
	 */
	public static AutoConfigurations observation() {
		return AutoConfigurations.of(ClassUtils.resolveClassName(
				BOOT_4 ? "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
						: "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
				null));
	}

	private static AutoConfigurations of(String... simpleNames) {
		return AutoConfigurations.of(Arrays.stream(simpleNames)
			.map((name) -> ClassUtils.resolveClassName(PACKAGE + name, null))
			.toArray(Class<?>[]::new));
	}

}
