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

	@Test
	void failedRestoreWhoseResetFailsTooThrowsTheRestoreFailureWithTheOtherSuppressed() {
		IllegalStateException resetFailure = new IllegalStateException("reset a failed");
		Recording failingReset = new Recording("a", "A") {

			@Override
			public void reset(@Nullable Object restored) {
				throw resetFailure;
			}

		};
		Recording failingRestore = new Recording("b", "B") {

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				throw new IllegalStateException("restore b failed");
			}

		};
		ContextPropagator composite = ContextPropagator.of(List.of(failingReset, failingRestore));
		Object captured = composite.capture();
		assertThatIllegalStateException().isThrownBy(() -> composite.restore(captured))
			.withMessage("restore b failed")
			.satisfies((ex) -> assertThat(ex.getSuppressed()).containsExactly(resetFailure));
	}

	@Test
	void everyKindIsResetWhenSomeFailAndTheFirstFailureIsThrownWithTheOthersSuppressed() {
		IllegalStateException first = new IllegalStateException("reset c failed");
		IllegalStateException second = new IllegalStateException("reset a failed");
		ContextPropagator composite = ContextPropagator.of(List.of(failingReset("a", second), new Recording("b", "B"),
				failingReset("c", first), new Recording("d", "D")));
		Object restored = composite.restore(composite.capture());
		this.events.clear();
		assertThatIllegalStateException().isThrownBy(() -> composite.reset(restored))
			.isSameAs(first)
			.satisfies((ex) -> assertThat(ex.getSuppressed()).containsExactly(second));
		assertThat(this.events).containsExactly("reset d", "reset c", "reset b", "reset a");
	}

	@Test
	void errorsAreRethrownAsThemselves() {
		AssertionError error = new AssertionError("reset failed");
		ContextPropagator composite = ContextPropagator.of(List.of(new Recording("a", "A"), new Recording("b", "B") {

			@Override
			public void reset(@Nullable Object restored) {
				throw error;
			}

		}));
		Object restored = composite.restore(composite.capture());
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> composite.reset(restored)).isSameAs(error);
	}

	@Test
	void describesItsKinds() {
		ContextPropagator composite = ContextPropagator
			.of(List.of(new MdcContextPropagator(), new LocaleContextPropagator()));
		assertThat(composite.toString()).startsWith("CompositeContextPropagator[")
			.contains(MdcContextPropagator.class.getSimpleName())
			.contains(LocaleContextPropagator.class.getSimpleName());
	}

	private Recording failingReset(String name, RuntimeException failure) {
		return new Recording(name, name.toUpperCase()) {

			@Override
			public void reset(@Nullable Object restored) {
				super.reset(restored);
				throw failure;
			}

		};
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
