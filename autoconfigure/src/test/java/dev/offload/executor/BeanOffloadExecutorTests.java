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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BeanOffloadExecutor}: calls on an executor the application owns.
 */
class BeanOffloadExecutorTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final ExecutorService pool = Executors.newFixedThreadPool(1, new CustomizableThreadFactory("foreign-"));

	private final BeanOffloadExecutor executor = new BeanOffloadExecutor("reports", "reportExecutor", this.pool, null,
			Duration.ofMillis(100), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor), "reports");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() throws InterruptedException {
		this.release.countDown();
		try {
			this.registry.close();
		}
		finally {
			this.pool.shutdownNow();
			assertThat(this.pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void runsCallsOnTheBean() throws Exception {
		assertThat(this.offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.startsWith("foreign-");
		assertThat(this.executor.getBeanName()).isEqualTo("reportExecutor");
		// The pool counts the task as active until just after the future completes.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.getActiveCount() == 0);
		assertThat(this.executor.getQueueSize()).isZero();
	}

	@Test
	void timeoutCompletesFutureAndInterruptsBody() throws Exception {
		BlockingBody body = BlockingBody.until(this.release);
		CompletableFuture<String> future = this.offloader.timeout(Duration.ofMillis(100)).call(body);
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class).hasMessageContaining("'reports'");
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(this.offloader.call(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
	}

	@Test
	void closeCompletesEveryCallButLeavesTheBeanRunning() throws Exception {
		BlockingBody body = BlockingBody.until(this.release).returning("stubborn").ignoringInterrupts();
		CompletableFuture<String> stubborn = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		AtomicBoolean queuedRan = new AtomicBoolean();
		CompletableFuture<String> queued = this.offloader.call(() -> {
			queuedRan.set(true);
			return "queued";
		});
		assertThat(this.executor.getQueueSize()).isEqualTo(1);
		long start = System.nanoTime();
		this.registry.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(closeMillis).isLessThan(100 + OffloadExecutors.INTERRUPT_GRACE_MILLIS + 1000);
		assertThat(stubborn).isDone();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> stubborn.get(5, TimeUnit.SECONDS));
		assertThat(queued).isDone();
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class);
		assertThat(this.pool.isShutdown()).isFalse();
		assertThat(this.executor.getQueueSize()).isZero();
		assertThat(this.offloader.call(() -> "late")).isCompletedExceptionally();
		this.release.countDown();
		// The bean still works for its owner.
		assertThat(this.pool.submit(() -> "owner").get(5, TimeUnit.SECONDS)).isEqualTo("owner");
		assertThat(queuedRan).isFalse();
	}

	@Test
	void rejectionByTheBeanFailsTheFuture() throws Exception {
		ThreadPoolExecutor saturated = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
		BeanOffloadExecutor executor = new BeanOffloadExecutor("tight", "tightExecutor", saturated, null,
				Duration.ofMillis(100), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "tight");
		try {
			DefaultOffloader offloader = new DefaultOffloader(registry);
			BlockingBody body = BlockingBody.until(this.release).returning("first");
			CompletableFuture<String> first = offloader.call(body);
			assertThat(body.awaitStarted()).isTrue();
			CompletableFuture<String> rejected = offloader.call(() -> "rejected");
			assertThat(rejected).isCompletedExceptionally();
			ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
				.actual();
			assertThat(ex.getCause()).isInstanceOf(RejectedExecutionException.class)
				.hasMessageContaining("'tight'")
				.hasMessageContaining("tightExecutor");
			assertThat(executor.getRejectedCount()).isEqualTo(1);
			this.release.countDown();
			assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		}
		finally {
			registry.close();
			saturated.shutdownNow();
		}
	}

	@Test
	void noInterruptFlagLeaksFromBodyOnCallerRunsExecutor() throws Exception {
		BeanOffloadExecutor executor = new BeanOffloadExecutor("direct", "directExecutor", Runnable::run, null,
				Duration.ofMillis(100), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "direct");
		try {
			DefaultOffloader offloader = new DefaultOffloader(registry);
			CompletableFuture<String> future = offloader.call(() -> {
				Thread.currentThread().interrupt();
				return "value";
			});
			// The body ran on this very thread; it must not be left interrupted.
			assertThat(Thread.currentThread().isInterrupted()).isFalse();
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("value");
		}
		finally {
			Thread.interrupted();
			registry.close();
		}
	}

	@Test
	void callsToABeanItsOwnerShutDownAreRejectedAsShutDown() throws Exception {
		ExecutorService owned = Executors.newFixedThreadPool(1);
		BeanOffloadExecutor executor = new BeanOffloadExecutor("owned", "ownedExecutor", owned, null,
				Duration.ofMillis(100), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "owned");
		try {
			owned.shutdown();
			CompletableFuture<String> rejected = new DefaultOffloader(registry).call(() -> "never");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> rejected.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(RejectedExecutionException.class)
				.withMessageStartingWith(
						"Offload executor 'owned' is shut down; the call to Offloader.call was rejected");
		}
		finally {
			registry.close();
		}
	}

	@Test
	void beanThatFailsToTakeTheCallFailsItsFuture() throws Exception {
		IllegalStateException failure = new IllegalStateException("not now");
		BeanOffloadExecutor executor = new BeanOffloadExecutor("broken", "brokenExecutor", (task) -> {
			throw failure;
		}, null, Duration.ofMillis(100), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "broken");
		try {
			CompletableFuture<String> future = new DefaultOffloader(registry).call(() -> "never");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(failure);
			assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.ERROR);
			assertThat(executor.getInFlightCount()).isZero();
		}
		finally {
			registry.close();
		}
	}

}
