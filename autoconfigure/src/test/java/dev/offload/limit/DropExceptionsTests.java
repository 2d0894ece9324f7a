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
package dev.offload.limit;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link DropExceptions}: which failures are drops.
 */
class DropExceptionsTests {

	private final DropExceptions defaults = DropExceptions.defaults(getClass().getClassLoader());

	@Test
	void theDefaultsAreTheOverloadSignalsOfTheJdkAndJdbc() {
		assertThat(this.defaults.getNames()).containsExactlyElementsOf(DropExceptions.DEFAULT_NAMES);
		assertThat(this.defaults.isDrop(new TimeoutException())).isTrue();
		assertThat(this.defaults.isDrop(new RejectedExecutionException())).isTrue();
		assertThat(this.defaults.isDrop(new java.sql.SQLTransientConnectionException())).isTrue();
		assertThat(this.defaults.isDrop(new java.sql.SQLTimeoutException())).isTrue();
		assertThat(this.defaults.isDrop(new java.net.http.HttpTimeoutException("slow"))).isTrue();
		assertThat(this.defaults.isDrop(new IllegalStateException())).isFalse();
		assertThat(this.defaults.isDrop(new java.sql.SQLException("syntax"))).isFalse();
	}

	@Test
	void aCauseAnywhereInTheChainMakesADrop() {
		Throwable wrapped = new IllegalStateException(
				new ExecutionException(new UncheckedIOException(new SocketTimeoutException("read timed out"))));
		assertThat(this.defaults.isDrop(wrapped)).isTrue();
	}

	@Test
	void aCycleOfCausesEnds() {
		Exception first = new IllegalStateException("first");
		Exception second = new IllegalArgumentException("second", first);
		first.initCause(second);
		assertThat(this.defaults.isDrop(first)).isFalse();
	}

	@Test
	void namedClassesReplaceTheDefaults() {
		DropExceptions drops = DropExceptions.of(List.of("java.lang.IllegalStateException "), null);
		assertThat(drops.isDrop(new IllegalStateException())).isTrue();
		assertThat(drops.isDrop(new TimeoutException())).isFalse();
	}

	@Test
	void aNameThatIsNoThrowableIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> DropExceptions.of(List.of("com.example.Nope"), null))
			.withMessage("'com.example.Nope' is not a class on the classpath");
		assertThatIllegalArgumentException().isThrownBy(() -> DropExceptions.of(List.of("java.lang.String"), null))
			.withMessage("'java.lang.String' is not a Throwable");
	}

}
