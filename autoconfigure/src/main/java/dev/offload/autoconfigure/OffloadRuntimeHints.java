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
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

import dev.offload.Offload;
import dev.offload.executor.OffloadCall;

/**
 * What the starter reads reflectively at run time, for a native image: the attributes of
 * {@link Offload @Offload}, the binding of {@link OffloadProperties}, the fields behind
 * the {@code VarHandle}s of {@link OffloadCall}, and the Logback class the MDC
 * propagation looks up by name. The endpoint's descriptors are registered on
 * {@link dev.offload.actuate.OffloadEndpoint} itself, and the {@code @Offload} proxy
 * classes by Spring's own AOT processing.
 */
class OffloadRuntimeHints implements RuntimeHintsRegistrar {

	static final String LOGBACK_MDC_ADAPTER = "ch.qos.logback.classic.util.LogbackMDCAdapter";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		// MergedAnnotations reads the attributes by invoking the annotation's methods.
		hints.reflection().registerType(Offload.class, MemberCategory.INVOKE_DECLARED_METHODS);
		// Spring Boot registers the same for the OffloadProperties bean; kept here so the
		// starter's hints are complete whoever registers the properties.
		BindableRuntimeHintsRegistrar.forTypes(OffloadProperties.class).registerHints(hints);
		// The call's VarHandles find its fields (and its run state's) by name.
		for (Class<?> type = OffloadCall.class; type != CompletableFuture.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (!Modifier.isStatic(field.getModifiers())) {
					hints.reflection().registerField(field);
				}
			}
		}
		hints.reflection().registerType(TypeReference.of(LOGBACK_MDC_ADAPTER));
	}

}
