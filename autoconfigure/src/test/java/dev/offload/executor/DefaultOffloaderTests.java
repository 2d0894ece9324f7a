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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.Offloader;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DefaultOffloader}: the programmatic API.
 */
class DefaultOffloaderTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = executor("io", null);

	private final PlatformOffloadExecutor jdbc = executor("jdbc", Duration.ofMillis(100));

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io, this.jdbc), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	private static PlatformOffloadExecutor executor(String name, @Nullable Duration timeout) {
		return new PlatformOffloadExecutor(name, 2, 2, 10, Duration.ofSeconds(60), "offload-" + name + "-", timeout,
				Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	private static String threadName() {
		return Thread.currentThread().getName();
	}

	@Test
	void callRunsOnDefaultExecutor() throws Exception {
		assertThat(this.offloader.call(DefaultOffloaderTests::threadName).get(5, TimeUnit.SECONDS))
			.startsWith("offload-io-");
	}

	@Test
	void runRunsOnDefaultExecutorAndCompletesWithNull() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		CompletableFuture<Void> future = this.offloader.run(ran::countDown);
		assertThat(future.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void runPassesOnThrownExceptionInstance() {
		IllegalStateException thrown = new IllegalStateException("boom");
		CompletableFuture<Void> future = this.offloader.run(() -> {
			throw thrown;
		});
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isSameAs(thrown);
	}

	@Test
	void executorRoutesToNamedExecutor() throws Exception {
		Offloader onJdbc = this.offloader.executor("jdbc");
		assertThat(onJdbc.call(DefaultOffloaderTests::threadName).get(5, TimeUnit.SECONDS)).startsWith("offload-jdbc-");
		assertThat(this.offloader.executor("jdbc")).isSameAs(onJdbc);
		assertThat(onJdbc.executor("io").call(DefaultOffloaderTests::threadName).get(5, TimeUnit.SECONDS))
			.startsWith("offload-io-");
	}

	@Test
	void unknownExecutorIsRejectedWithConfiguredNames() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.executor("missing"))
			.withMessageContaining("'missing'")
			.withMessageContaining("io, jdbc");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.executor(""))
			.withMessage("'name' must not be empty");
	}

	@Test
	void nonPositiveTimeoutIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.timeout(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.timeout(Duration.ofMillis(-1)));
	}

	@Test
	void nullTaskIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.call(null))
			.withMessage("'task' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.run(null))
			.withMessage("'task' must not be null");
	}

	@Test
	void executorTimeoutAppliesToItsCalls() {
		CompletableFuture<String> future = this.offloader.executor("jdbc").call(this::blockUntilReleased);
		assertTimedOut(future);
		assertThat(this.jdbc.getTimedOutCount()).isEqualTo(1);
	}

	@Test
	void timeoutOverridesExecutorTimeout() throws Exception {
		CompletableFuture<String> future = this.offloader.executor("jdbc").timeout(Duration.ofSeconds(5)).call(() -> {
			// Longer than the executor's own 100ms timeout, well within the override.
			new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
			return "slow";
		});
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("slow");
	}

	@Test
	void timeoutAppliesToNamedExecutorChosenAfterwards() {
		CompletableFuture<String> future = this.offloader.timeout(Duration.ofMillis(100))
			.executor("io")
			.call(this::blockUntilReleased);
		assertTimedOut(future);
	}

	@Test
	void timeoutAppliesToRun() {
		CompletableFuture<Void> future = this.offloader.timeout(Duration.ofMillis(100)).run(() -> {
			try {
				this.release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		assertTimedOut(future);
	}

	private String blockUntilReleased() throws InterruptedException {
		this.release.await(5, TimeUnit.SECONDS);
		return "released";
	}

	private static void assertTimedOut(CompletableFuture<?> future) {
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
	}

}
