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

package dev.offload.context;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Failures inside {@link CompositeContextPropagator}: one kind of context that fails to
 * reset must not leave the others installed on the worker. Every kind is reset, then the
 * first failure is rethrown.
 */
class CompositeContextPropagatorFailureTests {

	private final List<String> events = new CopyOnWriteArrayList<>();

	@Test
	void resetThatThrowsStillResetsEveryOtherKindAndRethrowsIt() {
		RuntimeException failure = new IllegalStateException("reset b failed");
		ContextPropagator composite = ContextPropagator
			.of(List.of(new Recording("a", null), new Recording("b", failure), new Recording("c", null)));
		Object restored = composite.restore(composite.capture());
		Throwable thrown = catchThrowable(() -> composite.reset(restored));
		assertThat(this.events).contains("reset c", "reset a");
		assertThat(thrown).isSameAs(failure);
	}

	@Test
	void resetsThatThrowRethrowTheFirstFailure() {
		RuntimeException first = new IllegalStateException("reset c failed");
		RuntimeException second = new IllegalStateException("reset a failed");
		ContextPropagator composite = ContextPropagator
			.of(List.of(new Recording("a", second), new Recording("b", null), new Recording("c", first)));
		Object restored = composite.restore(composite.capture());
		Throwable thrown = catchThrowable(() -> composite.reset(restored));
		assertThat(this.events).contains("reset c", "reset b", "reset a");
		assertThat(thrown).isSameAs(first);
	}

	@Test
	void failedRestoreWhoseResetThrowsStillResetsTheEarlierKinds() {
		RuntimeException restoreFailure = new IllegalStateException("restore c failed");
		RuntimeException resetFailure = new IllegalStateException("reset b failed");
		Recording c = new Recording("c", null) {

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				throw restoreFailure;
			}

		};
		ContextPropagator composite = ContextPropagator
			.of(List.of(new Recording("a", null), new Recording("b", resetFailure), c));
		Throwable thrown = catchThrowable(() -> composite.restore(composite.capture()));
		assertThat(this.events).contains("reset b", "reset a");
		assertThat(thrown).isSameAs(restoreFailure);
	}

	class Recording implements ContextPropagator {

		private final String name;

		private final @Nullable RuntimeException resetFailure;

		Recording(String name, @Nullable RuntimeException resetFailure) {
			this.name = name;
			this.resetFailure = resetFailure;
		}

		@Override
		public @Nullable Object capture() {
			return this.name.toUpperCase();
		}

		@Override
		public @Nullable Object restore(@Nullable Object captured) {
			CompositeContextPropagatorFailureTests.this.events.add("restore " + this.name);
			return this.name;
		}

		@Override
		public void reset(@Nullable Object restored) {
			CompositeContextPropagatorFailureTests.this.events.add("reset " + this.name);
			if (this.resetFailure != null) {
				throw this.resetFailure;
			}
		}

	}

}
