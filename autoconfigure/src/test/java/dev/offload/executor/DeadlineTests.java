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

package dev.offload.executor;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Deadline}: which of two deadlines is earlier (on {@code nanoTime}'s
 * scale, which may wrap) and how a deadline describes itself.
 */
class DeadlineTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	@Test
	void earlierWithoutOneIsTheOther() {
		Deadline deadline = new Deadline(100, SECOND, "a");
		assertThat(Deadline.earlier(null, deadline)).isSameAs(deadline);
		assertThat(Deadline.earlier(deadline, null)).isSameAs(deadline);
		assertThat(Deadline.earlier(null, null)).isNull();
	}

	@Test
	void earlierIsTheOneThatElapsesFirstInEitherOrder() {
		Deadline early = new Deadline(100, SECOND, "early");
		Deadline late = new Deadline(200, SECOND, "late");
		assertThat(Deadline.earlier(early, late)).isSameAs(early);
		assertThat(Deadline.earlier(late, early)).isSameAs(early);
	}

	@Test
	void earlierOfTwoEqualDeadlinesIsTheOtherOne() {
		Deadline deadline = new Deadline(100, SECOND, "inherited");
		Deadline other = new Deadline(100, SECOND, "own");
		assertThat(Deadline.earlier(deadline, other)).isSameAs(other);
	}

	@Test
	void earlierComparesAcrossTheWrapOfNanoTime() {
		// nanoTime may be near Long.MAX_VALUE: 21 ns later it is negative.
		Deadline beforeWrap = new Deadline(Long.MAX_VALUE - 10, SECOND, "before");
		Deadline afterWrap = new Deadline(Long.MIN_VALUE + 10, SECOND, "after");
		assertThat(Deadline.earlier(beforeWrap, afterWrap)).isSameAs(beforeWrap);
		assertThat(Deadline.earlier(afterWrap, beforeWrap)).isSameAs(beforeWrap);
	}

	@Test
	void formatUsesWholeSecondsOtherwiseMillis() {
		assertThat(Deadline.format(2 * SECOND)).isEqualTo("2s");
		assertThat(Deadline.format(SECOND)).isEqualTo("1s");
		assertThat(Deadline.format(1500 * 1_000_000L)).isEqualTo("1500ms");
		assertThat(Deadline.format(250 * 1_000_000L)).isEqualTo("250ms");
		assertThat(Deadline.format(0)).isEqualTo("0ms");
	}

	@Test
	void toStringDescribesTheOrigin() {
		assertThat(new Deadline(0, 2 * SECOND, "the test")).hasToString("Deadline[the test (deadline 2s)]");
	}

}
