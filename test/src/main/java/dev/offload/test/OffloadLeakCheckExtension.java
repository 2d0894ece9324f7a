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

package dev.offload.test;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit Jupiter extension behind {@link CheckOffloadLeaks @CheckOffloadLeaks}: marks
 * the start of each test on the test's application context and, after the test, fails it
 * if calls made since are still in flight. Registered by the annotation; register it
 * yourself ({@code @ExtendWith}) for the defaults: no grace, every executor.
 *
 * @since 0.1.0
 */
public class OffloadLeakCheckExtension implements BeforeEachCallback, AfterEachCallback {

	private static final Namespace NAMESPACE = Namespace.create(OffloadLeakCheckExtension.class);

	/**
	 * Creates the extension; JUnit does, for {@code @ExtendWith}.
	 */
	public OffloadLeakCheckExtension() {
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		OffloadQuiescence quiescence = OffloadQuiescence.of(SpringExtension.getApplicationContext(context));
		String[] executors = settings(context).map(CheckOffloadLeaks::executors).orElse(new String[0]);
		if (executors.length > 0) {
			quiescence = quiescence.onExecutors(executors);
		}
		context.getStore(NAMESPACE).put(OffloadQuiescence.class, quiescence.sinceNow());
	}

	@Override
	public void afterEach(ExtensionContext context) {
		OffloadQuiescence calls = context.getStore(NAMESPACE).remove(OffloadQuiescence.class, OffloadQuiescence.class);
		if (calls == null) {
			return;
		}
		Duration grace = settings(context).map((settings) -> DurationStyle.detectAndParse(settings.grace()))
			.orElse(Duration.ZERO);
		try {
			calls.await(grace);
		}
		catch (AssertionError ex) {
			throw new AssertionError(context.getDisplayName() + " left offloaded calls in flight at its end; wait for "
					+ "them (OffloadQuiescence#await, or get() on their futures) before it ends. " + ex.getMessage());
		}
	}

	/**
	 * The annotation on the test class, its superclasses or, for a {@code @Nested} class,
	 * an enclosing class.
	 */
	private static Optional<CheckOffloadLeaks> settings(ExtensionContext context) {
		for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
			Optional<CheckOffloadLeaks> settings = AnnotationSupport.findAnnotation(type, CheckOffloadLeaks.class);
			if (settings.isPresent()) {
				return settings;
			}
		}
		return Optional.empty();
	}

}
