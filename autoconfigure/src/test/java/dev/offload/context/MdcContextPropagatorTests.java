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

import java.util.Map;

import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MdcContextPropagator}: what it captures with Logback, the MDC this
 * build logs with.
 */
class MdcContextPropagatorTests {

	private final MdcContextPropagator propagator = new MdcContextPropagator();

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void capturesLogbacksOwnReadOnlyMapWithoutCopying() {
		MDC.put("requestId", "r-1");
		Object captured = this.propagator.capture();
		assertThat(captured).isSameAs(((LogbackMDCAdapter) MDC.getMDCAdapter()).getPropertyMap());
		assertThat(this.propagator.capture()).as("an unchanged MDC is captured again without a copy")
			.isSameAs(captured);
		MDC.put("user", "alice");
		assertThat(this.propagator.capture()).isNotSameAs(captured)
			.isEqualTo(Map.of("requestId", "r-1", "user", "alice"));
		assertThat(captured).isEqualTo(Map.of("requestId", "r-1"));
	}

	@Test
	void capturesNothingFromAnEmptyMdc() {
		assertThat(this.propagator.capture()).isNull();
		MDC.put("requestId", "r-1");
		MDC.remove("requestId");
		assertThat(this.propagator.capture()).isNull();
	}

	@Test
	void restoreReturnsTheWorkersOwnMdcAndResetPutsItBack() {
		MDC.put("worker", "w");
		Object restored = this.propagator.restore(Map.of("requestId", "r-1"));
		assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("requestId", "r-1"));
		this.propagator.reset(restored);
		assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("worker", "w"));
		this.propagator.reset(this.propagator.restore(null));
		assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("worker", "w"));
	}

}
