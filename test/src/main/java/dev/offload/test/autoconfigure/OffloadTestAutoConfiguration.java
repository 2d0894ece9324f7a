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

package dev.offload.test.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.test.OffloadQuiescence;

/**
 * Auto-configuration of the {@link OffloadQuiescence} bean of a test's application
 * context; in a {@code @SpringBootTest} through Spring Boot's auto-configuration, in a
 * test slice through {@link AutoConfigureOffload @AutoConfigureOffload}. With
 * {@code offload.enabled=false} the bean is always quiet.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = OffloadAutoConfiguration.class)
public final class OffloadTestAutoConfiguration {

	// Only Spring Boot creates auto-configurations.
	OffloadTestAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean
	OffloadQuiescence offloadQuiescence(ApplicationContext context) {
		return OffloadQuiescence.of(context);
	}

}
