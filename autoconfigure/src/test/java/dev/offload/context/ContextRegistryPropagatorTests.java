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

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ContextRegistryPropagator} does with each accessor, call by call: the same
 * as Micrometer's {@code captureAll()}, {@code setThreadLocals()} and
 * {@code Scope.close()}, which it replaces.
 */
class ContextRegistryPropagatorTests {

	private final List<String> calls = new ArrayList<>();

	private final Recording first = new Recording("first");

	private final Recording second = new Recording("second");

	private final ContextRegistryPropagator propagator;

	ContextRegistryPropagatorTests() {
		ContextRegistry registry = new ContextRegistry();
		registry.registerThreadLocalAccessor(this.first);
		registry.registerThreadLocalAccessor(this.second);
		this.propagator = new ContextRegistryPropagator(registry);
	}

	@Test
	void nothingToCaptureIsNoSnapshotAndNothingSet() {
		assertThat(this.propagator.capture()).isNull();
		this.first.value = "worker's own";
		assertThat(this.propagator.restore(null)).isNull();
		this.propagator.reset(null);
		assertThat(this.first.value).isEqualTo("worker's own");
		assertThat(this.calls).isEmpty();
	}

	@Test
	void onACleanWorkerTheValuesAreSetThenClearedWithRestore() {
		this.first.value = "a";
		this.second.value = "b";
		Object captured = this.propagator.capture();
		this.first.value = null;
		this.second.value = null;
		this.calls.clear();
		Object restored = this.propagator.restore(captured);
		assertThat(this.first.value).isEqualTo("a");
		assertThat(this.second.value).isEqualTo("b");
		this.propagator.reset(restored);
		assertThat(this.first.value).isNull();
		assertThat(this.second.value).isNull();
		assertThat(this.calls).containsExactly("first.setValue(a)", "second.setValue(b)", "first.restore()",
				"second.restore()");
	}

	@Test
	void previousValuesArePutBackWithRestoreOfThem() {
		this.first.value = "a";
		this.second.value = "b";
		Object captured = this.propagator.capture();
		this.first.value = null;
		this.second.value = "worker's b";
		this.calls.clear();
		Object restored = this.propagator.restore(captured);
		assertThat(this.first.value).isEqualTo("a");
		assertThat(this.second.value).isEqualTo("b");
		this.propagator.reset(restored);
		assertThat(this.first.value).isNull();
		assertThat(this.second.value).isEqualTo("worker's b");
		assertThat(this.calls).containsExactly("first.setValue(a)", "second.setValue(b)", "first.restore()",
				"second.restore(worker's b)");
	}

	@Test
	void aValueTheCallerDidNotHaveLeavesTheWorkersOwnAlone() {
		this.second.value = "b";
		Object captured = this.propagator.capture();
		this.first.value = "worker's a";
		this.second.value = null;
		this.calls.clear();
		Object restored = this.propagator.restore(captured);
		assertThat(this.first.value).isEqualTo("worker's a");
		assertThat(this.second.value).isEqualTo("b");
		this.propagator.reset(restored);
		assertThat(this.first.value).isEqualTo("worker's a");
		assertThat(this.second.value).isNull();
		assertThat(this.calls).containsExactly("second.setValue(b)", "second.restore()");
	}

	@Test
	void aSnapshotCanBeRestoredOnManyThreadsAndAgain() {
		this.first.value = "a";
		Object captured = this.propagator.capture();
		this.first.value = "worker's a";
		Object restored = this.propagator.restore(captured);
		this.propagator.reset(restored);
		assertThat(this.first.value).isEqualTo("worker's a");
		this.first.value = null;
		restored = this.propagator.restore(captured);
		assertThat(this.first.value).isEqualTo("a");
		this.propagator.reset(restored);
		assertThat(this.first.value).isNull();
	}

	@Test
	void theKindsOffloadPropagatesItselfAreLeftOut() {
		ContextRegistry registry = new ContextRegistry();
		assertThat(new ContextRegistryPropagator(registry).isEmpty()).isTrue();
		registry.registerThreadLocalAccessor(
				new org.springframework.security.core.context.SecurityContextHolderThreadLocalAccessor());
		assertThat(new ContextRegistryPropagator(registry).isEmpty()).isTrue();
		registry.registerThreadLocalAccessor(this.first);
		assertThat(new ContextRegistryPropagator(registry).isEmpty()).isFalse();
	}

	/**
	 * An accessor over a plain field (the test runs on one thread) that records what is
	 * called on it.
	 */
	private final class Recording implements ThreadLocalAccessor<String> {

		private final String key;

		@Nullable String value;

		Recording(String key) {
			this.key = key;
		}

		@Override
		public Object key() {
			return this.key;
		}

		@Override
		public @Nullable String getValue() {
			return this.value;
		}

		@Override
		public void setValue(String value) {
			ContextRegistryPropagatorTests.this.calls.add(this.key + ".setValue(" + value + ")");
			this.value = value;
		}

		@Override
		public void setValue() {
			ContextRegistryPropagatorTests.this.calls.add(this.key + ".setValue()");
			this.value = null;
		}

		@Override
		public void restore(String previousValue) {
			ContextRegistryPropagatorTests.this.calls.add(this.key + ".restore(" + previousValue + ")");
			this.value = previousValue;
		}

		@Override
		public void restore() {
			ContextRegistryPropagatorTests.this.calls.add(this.key + ".restore()");
			this.value = null;
		}

		@Override
		@Deprecated
		public void reset() {
			this.value = null;
		}

	}

}
