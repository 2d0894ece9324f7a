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

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import dev.offload.Offload;
import dev.offload.actuate.OffloadEndpoint;
import dev.offload.executor.OffloadCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadRuntimeHints} and the hints declared on
 * {@link OffloadEndpoint}.
 * <p>
 * The member predicates used here ({@code onMethod}, {@code onField}) are the ones Spring
 * Framework 6.2 (Boot 3.5) has; Framework 7 deprecates them for
 * {@code onMethodInvocation} and {@code onFieldAccess}, which 6.2 lacks.
 */
@SuppressWarnings({ "deprecation", "removal" })
class OffloadRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	OffloadRuntimeHintsTests() {
		new OffloadRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void offloadAttributesCanBeReadReflectively() {
		assertThat(this.reflection.onType(Offload.class).withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS))
			.accepts(this.hints);
	}

	@Test
	void offloadPropertiesCanBeBound() {
		assertThat(this.reflection.onType(OffloadProperties.class)).accepts(this.hints);
		assertThat(this.reflection.onMethod(OffloadProperties.class, "setDefaultExecutor").invoke())
			.accepts(this.hints);
		assertThat(this.reflection.onMethod(OffloadProperties.class, "getExecutors").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(OffloadProperties.Executor.class, "setCoreSize").invoke())
			.accepts(this.hints);
		assertThat(this.reflection.onMethod(OffloadProperties.Executor.class, "setTimeout").invoke())
			.accepts(this.hints);
		assertThat(this.reflection.onMethod(OffloadProperties.Propagation.class, "setMdc").invoke())
			.accepts(this.hints);
	}

	@Test
	void fieldsOfTheCallStateCanBeFoundByName() {
		Field[] fields = Stream
			.<Class<?>>iterate(OffloadCall.class, (type) -> type != CompletableFuture.class, Class::getSuperclass)
			.flatMap((type) -> Arrays.stream(type.getDeclaredFields()))
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.toArray(Field[]::new);
		assertThat(fields).extracting(Field::getName).contains("state", "runner", "outcome");
		for (Field field : fields) {
			assertThat(this.reflection.onField(field)).as(field.getName()).accepts(this.hints);
		}
	}

	@Test
	void logbackMdcAdapterCanBeLookedUpByName() {
		assertThat(this.reflection.onType(TypeReference.of(OffloadRuntimeHints.LOGBACK_MDC_ADAPTER)))
			.accepts(this.hints);
	}

	@Test
	void endpointDescriptorsCanBeSerialized() {
		RuntimeHints endpointHints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(endpointHints, OffloadEndpoint.class);
		assertThat(this.reflection.onMethod(OffloadEndpoint.class, "offload").invoke()).accepts(endpointHints);
		assertThat(this.reflection.onMethod(OffloadEndpoint.OffloadDescriptor.class, "executors").invoke())
			.accepts(endpointHints);
		// The map's values are declared as the sealed interface: each record needs its
		// own.
		for (Class<?> descriptor : new Class<?>[] { OffloadEndpoint.PlatformExecutorDescriptor.class,
				OffloadEndpoint.VirtualExecutorDescriptor.class, OffloadEndpoint.BeanExecutorDescriptor.class }) {
			assertThat(this.reflection.onType(descriptor)).as(descriptor.getSimpleName()).accepts(endpointHints);
			assertThat(this.reflection.onMethod(descriptor, "type").invoke()).as(descriptor.getSimpleName())
				.accepts(endpointHints);
		}
	}

}
