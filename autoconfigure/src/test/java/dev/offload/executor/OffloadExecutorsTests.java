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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.core.task.TaskRejectedException;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadExecutors}: the registry and its shutdown.
 */
class OffloadExecutorsTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private static PlatformOffloadExecutor executor(String name, int size, int queueCapacity,
			Duration awaitTermination) {
		return new PlatformOffloadExecutor(name, size, size, queueCapacity, Duration.ofSeconds(60),
				"offload-" + name + "-", null, awaitTermination, ContextPropagator.NONE);
	}

	private OffloadExecutors registry(OffloadExecutor... executors) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executors), executors[0].getName());
		this.registries.add(registry);
		return registry;
	}

	@Test
	void findsExecutorsByName() {
		PlatformOffloadExecutor io = executor("io", 1, 1, Duration.ofSeconds(1));
		PlatformOffloadExecutor jdbc = executor("jdbc", 1, 1, Duration.ofSeconds(1));
		OffloadExecutors registry = registry(io, jdbc);
		assertThat(registry.getDefaultExecutor()).isSameAs(io);
		assertThat(registry.get("jdbc")).isSameAs(jdbc);
		assertThat(registry.find("missing")).isNull();
		assertThat(registry.getNames()).containsExactly("io", "jdbc");
		assertThatIllegalArgumentException().isThrownBy(() -> registry.get("missing"))
			.withMessageContaining("'missing'")
			.withMessageContaining("io, jdbc");
	}

	@Test
	void rejectsUnknownDefaultExecutor() {
		PlatformOffloadExecutor io = executor("io", 1, 1, Duration.ofSeconds(1));
		try {
			assertThatIllegalArgumentException().isThrownBy(() -> new OffloadExecutors(List.of(io), "other"))
				.withMessageContaining("'other'");
		}
		finally {
			io.beginShutdown();
			io.shutdownNow();
		}
	}

	@Test
	void closeCutsOffQueuedAndRunningCallsAndLeavesNoFutureIncomplete() throws Exception {
		Duration awaitTermination = Duration.ofMillis(200);
		PlatformOffloadExecutor executor = executor("io", 2, 100, awaitTermination);
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		CountDownLatch started = new CountDownLatch(2);
		BlockingBody stubbornBody = BlockingBody.until(this.release)
			.returning("stubborn")
			.countingDown(started)
			.ignoringInterrupts();
		BlockingBody responsiveBody = BlockingBody.until(this.release).returning("responsive").countingDown(started);
		CompletableFuture<String> stubborn = offloader.call(stubbornBody);
		CompletableFuture<String> responsive = offloader.call(responsiveBody);
		assertThat(Latches.await(started)).isTrue();
		AtomicInteger queuedRuns = new AtomicInteger();
		List<CompletableFuture<Integer>> queued = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			int index = i;
			queued.add(offloader.call(() -> {
				queuedRuns.incrementAndGet();
				return index;
			}));
		}
		assertThat(executor.getQueueSize()).isEqualTo(20);
		long start = System.nanoTime();
		try {
			registry.close();
			long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(closeMillis)
				.isLessThan(awaitTermination.toMillis() + OffloadExecutors.INTERRUPT_GRACE_MILLIS + 1000);
			assertThat(closeMillis).isGreaterThanOrEqualTo(awaitTermination.toMillis());
			assertThat(stubborn).isDone();
			assertThat(responsive).isDone();
			assertThat(queued).allSatisfy((future) -> assertThat(future).isDone());
			assertThat(queued).allSatisfy((future) -> {
				ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
					.actual();
				assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class).hasMessageContaining("'io'");
			});
			assertThat(queuedRuns).hasValue(0);
			assertThat(responsiveBody.awaitInterrupted()).isTrue();
			assertThat(stubbornBody.awaitInterrupted()).isTrue();
			assertThat(responsive).isCompletedExceptionally();
			assertThat(stubborn).isCompletedExceptionally();
			// The stubborn body still runs: its call stays tracked until it returns.
			assertThat(executor.getInFlightCount()).isOne();
			CompletableFuture<String> late = offloader.call(() -> "late");
			assertThat(late).isCompletedExceptionally();
			ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> late.get(5, TimeUnit.SECONDS))
				.actual();
			assertThat(ex.getCause()).isInstanceOf(TaskRejectedException.class).hasMessageContaining("shut down");
		}
		finally {
			this.release.countDown();
		}
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> executor.getInFlightCount() == 0);
	}

	@Test
	void closeLetsRunningCallFinishWithinAwaitTermination() throws Exception {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofSeconds(5));
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		BlockingBody body = BlockingBody.until(this.release).returning("finished");
		CompletableFuture<String> running = offloader.call(body);
		CompletableFuture<String> queued = offloader.call(() -> "queued");
		assertThat(body.awaitStarted()).isTrue();
		Thread releaser = new Thread(() -> {
			await().atMost(Duration.ofSeconds(5)).until(executor::isShutDown);
			CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(this.release::countDown);
		});
		releaser.start();
		long start = System.nanoTime();
		registry.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		releaser.join(5000);
		assertThat(closeMillis).isLessThan(3000);
		assertThat(running).isDone();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
		assertThat(body.wasInterrupted()).isFalse();
		assertThat(offloader.call(() -> "late")).isCompletedExceptionally();
	}

	@Test
	void closeOfIdleRegistryIsQuickAndIdempotent() {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofSeconds(5));
		OffloadExecutors registry = registry(executor);
		registry.start();
		assertThat(registry.isRunning()).isTrue();
		long start = System.nanoTime();
		registry.stop();
		registry.close();
		registry.destroy();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
		assertThat(registry.isRunning()).isFalse();
		assertThat(executor.getThreadPoolExecutor().isTerminated()).isTrue();
	}

	@Test
	void bodyCutOffAtShutdownCompletesExceptionallyEvenIfItReturnsValue() throws Exception {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofMillis(100));
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		// Catches the interrupt, and returns a value as if nothing happened.
		BlockingBody body = BlockingBody.until(this.release).returning("partial").restoringInterrupt();
		CompletableFuture<String> running = offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		registry.close();
		assertThat(running).isDone();
		assertThat(running).isCompletedExceptionally();
	}

	@Test
	void closeShutsDownEveryExecutorAtOnceAndWaitsForThemInOneSharedWindow() throws Exception {
		Duration awaitTermination = Duration.ofMillis(500);
		List<PlatformOffloadExecutor> executors = List.of(executor("one", 1, 10, awaitTermination),
				executor("two", 1, 10, awaitTermination), executor("three", 1, 10, awaitTermination));
		OffloadExecutors registry = registry(executors.toArray(new OffloadExecutor[0]));
		DefaultOffloader offloader = new DefaultOffloader(registry);
		List<BlockingBody> bodies = new ArrayList<>();
		List<CompletableFuture<String>> futures = new ArrayList<>();
		for (PlatformOffloadExecutor executor : executors) {
			BlockingBody body = BlockingBody.until(this.release);
			bodies.add(body);
			futures.add(offloader.executor(executor.getName()).call(body));
			assertThat(body.awaitStarted()).isTrue();
		}
		CompletableFuture<Long> closeMillis = new CompletableFuture<>();
		Thread closer = new Thread(() -> {
			long start = System.nanoTime();
			registry.close();
			closeMillis.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		}, "closer");
		closer.start();
		// Every executor refuses calls from the start of close(), not once its turn
		// comes.
		await().atMost(Duration.ofSeconds(5)).until(() -> executors.get(0).isShutDown());
		CompletableFuture<String> late = offloader.executor("three").call(() -> "late");
		assertThat(late).isCompletedExceptionally();
		assertThat(closeMillis).as("close() still waits for the running bodies").isNotDone();
		// Waited one after the other, three windows of 500 ms would take 1.5 s.
		long millis = closeMillis.get(5, TimeUnit.SECONDS);
		closer.join(5000);
		assertThat(millis).isGreaterThanOrEqualTo(awaitTermination.toMillis()).isLessThan(900);
		assertThat(futures).allSatisfy((future) -> assertThat(future).isCompletedExceptionally());
		for (BlockingBody body : bodies) {
			assertThat(body.awaitInterrupted()).isTrue();
		}
	}

}
