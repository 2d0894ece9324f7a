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

package dev.offload.jdbc;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatementExecutions}: the time left becomes a query timeout in whole
 * seconds, rounded up, and never 0 (which would mean none).
 */
class StatementExecutionsTests {

	@Test
	void remainingTimeIsRoundedUpToWholeSecondsOfAtLeastOne() {
		assertThat(StatementExecutions.toSeconds(TimeUnit.MILLISECONDS.toNanos(2500))).isEqualTo(3);
		assertThat(StatementExecutions.toSeconds(TimeUnit.SECONDS.toNanos(2))).isEqualTo(2);
		assertThat(StatementExecutions.toSeconds(TimeUnit.SECONDS.toNanos(2) + 1)).isEqualTo(3);
		assertThat(StatementExecutions.toSeconds(1)).isEqualTo(1);
		assertThat(StatementExecutions.toSeconds(0)).as("deadline passed").isEqualTo(1);
		assertThat(StatementExecutions.toSeconds(-5_000_000_000L)).as("deadline passed").isEqualTo(1);
		assertThat(StatementExecutions.toSeconds(Long.MAX_VALUE - 1)).isEqualTo(Integer.MAX_VALUE);
	}

}
