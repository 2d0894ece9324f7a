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

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata generated from {@link OffloadProperties}: an IDE
 * must be able to complete and document every key.
 */
class OffloadPropertiesMetadataTests {

	@Test
	void everyPropertyHasADescription() throws IOException {
		List<Map<String, Object>> properties = read("$.properties[*]");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("offload.enabled", "offload.default-executor", "offload.executors", "offload.propagation.mdc",
					"offload.propagation.security", "offload.propagation.observation", "offload.propagation.locale",
					"offload.executors.default.core-size", "offload.executors.default.max-concurrency",
					"offload.executors.default.bean");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

	@Test
	void defaultExecutorKeysDocumentTheirDefaults() throws IOException {
		List<Object> defaults = read(
				"$.properties[?(@.name == 'offload.executors.default.queue-capacity')].defaultValue");
		assertThat(defaults).containsExactly(OffloadExecutorsFactory.DEFAULT_QUEUE_CAPACITY);
		List<Object> coreSize = read("$.properties[?(@.name == 'offload.executors.default.core-size')].defaultValue");
		assertThat(coreSize).containsExactly(OffloadExecutorsFactory.DEFAULT_POOL_SIZE);
	}

	private static <T> T read(String path) throws IOException {
		try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonPath.read(json, path);
		}
	}

}
