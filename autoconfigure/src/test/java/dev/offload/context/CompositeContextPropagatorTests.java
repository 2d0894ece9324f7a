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

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CompositeContextPropagator}.
 */
class CompositeContextPropagatorTests {

	private final List<String> events = new ArrayList<>();

	@Test
	void restoresInOrderAndResetsInReverse() {
		ContextPropagator composite = ContextPropagator.of(List.of(new Recording("a", "A"), new Recording("b", "B")));
		Object captured = composite.capture();
		Object restored = composite.restore(captured);
		composite.reset(restored);
		assertThat(this.events).containsExactly("capture a", "capture b", "restore a A", "restore b B", "reset b",
				"reset a");
	}

	@Test
	void capturesNothingWhenNoPropagatorHasAnything() {
		ContextPropagator composite = ContextPropagator.of(List.of(new Recording("a", null), new Recording("b", null)));
		assertThat(composite.capture()).isNull();
		composite.reset(composite.restore(null));
		assertThat(this.events).containsExactly("capture a", "capture b", "restore a null", "restore b null", "reset b",
				"reset a");
	}

	@Test
	void failedRestoreResetsWhatWasAlreadyRestored() {
		Recording failing = new Recording("b", "B") {

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				throw new IllegalStateException("restore b failed");
			}

		};
		ContextPropagator composite = ContextPropagator.of(List.of(new Recording("a", "A"), failing));
		Object captured = composite.capture();
		assertThatIllegalStateException().isThrownBy(() -> composite.restore(captured));
		assertThat(this.events).endsWith("restore a A", "reset a");
	}

	@Test
	void singleOrNoPropagatorIsNotWrapped() {
		Recording only = new Recording("a", "A");
		assertThat(ContextPropagator.of(List.of(only))).isSameAs(only);
		assertThat(ContextPropagator.of(List.of())).isSameAs(ContextPropagator.NONE);
	}

	class Recording implements ContextPropagator {

		private final String name;

		private final @Nullable String value;

		Recording(String name, @Nullable String value) {
			this.name = name;
			this.value = value;
		}

		@Override
		public @Nullable Object capture() {
			CompositeContextPropagatorTests.this.events.add("capture " + this.name);
			return this.value;
		}

		@Override
		public @Nullable Object restore(@Nullable Object captured) {
			CompositeContextPropagatorTests.this.events.add("restore " + this.name + " " + captured);
			return this.name;
		}

		@Override
		public void reset(@Nullable Object restored) {
			CompositeContextPropagatorTests.this.events.add("reset " + restored);
		}

	}

}
