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

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.offload.Offloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CallerRunsOffloader}: the {@code Offloader} of
 * {@code offload.enabled=false}.
 */
class CallerRunsOffloaderTests {

	private final CallerRunsOffloader offloader = new CallerRunsOffloader();

	@Test
	void callRunsOnTheCallerThreadAndReturnsACompletedFuture() throws Exception {
		CompletableFuture<String> future = this.offloader.call(() -> Thread.currentThread().getName());
		assertThat(future).isDone();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo(Thread.currentThread().getName());
	}

	@Test
	void runRunsOnTheCallerThreadAndReturnsACompletedFuture() throws Exception {
		AtomicReference<String> thread = new AtomicReference<>();
		CompletableFuture<Void> future = this.offloader.run(() -> thread.set(Thread.currentThread().getName()));
		assertThat(future).isDone();
		assertThat(future.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(thread.get()).isEqualTo(Thread.currentThread().getName());
	}

	@Test
	void failuresCompleteTheFutureWithTheSameInstance() {
		Exception checked = new java.io.IOException("disk");
		IllegalStateException unchecked = new IllegalStateException("boom");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> this.offloader.call(() -> {
			throw checked;
		}).get(5, TimeUnit.SECONDS)).havingCause().isSameAs(checked);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> this.offloader.run(() -> {
			throw unchecked;
		}).get(5, TimeUnit.SECONDS)).havingCause().isSameAs(unchecked);
	}

	@Test
	void nullTaskIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.call(null))
			.withMessage("'task' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.run(null))
			.withMessage("'task' must not be null");
	}

	@Test
	void executorAndTimeoutChangeNothing() {
		Offloader same = this.offloader.executor("jdbc").timeout(Duration.ofSeconds(1));
		assertThat(same).isSameAs(this.offloader);
	}

}
