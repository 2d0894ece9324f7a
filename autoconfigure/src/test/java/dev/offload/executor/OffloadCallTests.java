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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OffloadCall}: the caller's future and the task in one object.
 */
class OffloadCallTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor executor = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	@Test
	void callCompletesWithValueComputedOnWorkerThread() throws Exception {
		Thread caller = Thread.currentThread();
		CompletableFuture<Thread> future = this.offloader.call(Thread::currentThread);
		Thread worker = future.get(5, TimeUnit.SECONDS);
		assertThat(worker).isNotSameAs(caller);
		assertThat(worker.getName()).startsWith("offload-io-");
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
	}

	@Test
	void runCompletesWithNullOnWorkerThread() throws Exception {
		AtomicReference<String> threadName = new AtomicReference<>();
		CompletableFuture<Void> future = this.offloader.run(() -> threadName.set(Thread.currentThread().getName()));
		assertThat(future.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(threadName.get()).startsWith("offload-io-");
	}

	@Test
	void thrownExceptionCompletesFutureWithSameInstance() {
		IllegalStateException thrown = new IllegalStateException("boom");
		CompletableFuture<String> future = this.offloader.call(() -> {
			throw thrown;
		});
		ExecutionException ex = catchExecutionException(future);
		assertThat(ex.getCause()).isSameAs(thrown);
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.ERROR);
	}

	@Test
	void thrownCheckedExceptionCompletesFutureWithSameInstance() {
		Exception thrown = new java.io.IOException("disk");
		CompletableFuture<String> future = this.offloader.call(() -> {
			throw thrown;
		});
		assertThat(catchExecutionException(future).getCause()).isSameAs(thrown);
	}

	@Test
	void returnedFailedFutureCompletesCallerFutureWithSameInstance() {
		IllegalArgumentException thrown = new IllegalArgumentException("bad");
		CompletableFuture<CompletableFuture<String>> future = this.offloader
			.call(() -> CompletableFuture.failedFuture(thrown));
		assertThat(catchExecutionException(future).getCause()).isSameAs(thrown);
	}

	@Test
	void returnedCompletedFutureIsUnwrapped() throws Exception {
		CompletableFuture<Object> future = this.offloader.call(() -> CompletableFuture.completedFuture("value"));
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("value");
	}

	@Test
	void timeoutInterruptsRunningBody() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		long start = System.nanoTime();
		CompletableFuture<String> future = this.offloader.timeout(Duration.ofMillis(200)).call(() -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "late";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		ExecutionException ex = catchExecutionException(future);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class).hasMessageContaining("'io'");
		assertThat(elapsedMillis).isBetween(150L, 3000L);
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
	}

	@Test
	void cancelInterruptsRunningBody() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		CompletableFuture<String> future = this.offloader.call(() -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "late";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.cancel(true)).isTrue();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.isCancelled()).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.CANCELLED);
		// The worker is free again, with no interrupt carried over.
		assertThat(this.offloader.call(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS))
			.isFalse();
	}

	@Test
	void cancelWithoutInterruptLeavesRunningBodyAlone() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean sawInterrupt = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(1);
		CompletableFuture<String> future = this.offloader.call(() -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				sawInterrupt.set(true);
			}
			finished.countDown();
			return "late";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.cancel(false)).isTrue();
		assertThat(future.isCancelled()).isTrue();
		this.release.countDown();
		assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(sawInterrupt).isFalse();
	}

	@Test
	void cancelAfterCompletionHasNoEffect() throws Exception {
		CompletableFuture<String> future = this.offloader.call(() -> "done");
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(future.cancel(true)).isFalse();
		assertThat(future.isCancelled()).isFalse();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void completeFromOutsideInterruptsRunningBody() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		CompletableFuture<String> future = this.offloader.call(() -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "late";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.complete("fallback")).isTrue();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("fallback");
	}

	@Test
	void noInterruptFlagLeaksToNextTask() throws Exception {
		CompletableFuture<String> first = this.offloader.call(() -> {
			Thread.currentThread().interrupt();
			return Thread.currentThread().getName();
		});
		String firstThread = first.get(5, TimeUnit.SECONDS);
		CompletableFuture<String> second = this.offloader
			.call(() -> Thread.currentThread().getName() + ":" + Thread.currentThread().isInterrupted());
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(firstThread + ":false");
	}

	@Test
	void noInterruptFlagLeaksToDependentStageRunOnWorker() throws Exception {
		CountDownLatch attached = new CountDownLatch(1);
		CompletableFuture<String> future = this.offloader.call(() -> {
			attached.await(5, TimeUnit.SECONDS);
			Thread.currentThread().interrupt();
			return "value";
		});
		AtomicReference<String> stageThread = new AtomicReference<>();
		AtomicReference<Boolean> stageInterrupted = new AtomicReference<>();
		CompletableFuture<String> dependent = future.whenComplete((value, ex) -> {
			stageThread.set(Thread.currentThread().getName());
			stageInterrupted.set(Thread.currentThread().isInterrupted());
		});
		attached.countDown();
		assertThat(dependent.get(5, TimeUnit.SECONDS)).isEqualTo("value");
		assertThat(stageThread.get()).startsWith("offload-io-");
		assertThat(stageInterrupted.get()).isFalse();
	}

	@Test
	void timeoutWhileTimerRacesWithCompletionDecidesExactlyOnce() throws Exception {
		for (int i = 0; i < 200; i++) {
			CompletableFuture<Integer> future = this.offloader.timeout(Duration.ofNanos(1_000_000)).call(() -> 42);
			try {
				assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo(42);
				assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
				assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
			}
		}
		// Every call was accounted for (untracked just after its future completed), and
		// none
		// leaked an interrupt onto the worker.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.getInFlightCount() == 0);
		assertThat(this.offloader.call(() -> Thread.currentThread().isInterrupted()).get(5, TimeUnit.SECONDS))
			.isFalse();
	}

	private static ExecutionException catchExecutionException(CompletableFuture<?> future) {
		ExecutionException[] caught = new ExecutionException[1];
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.satisfies((ex) -> caught[0] = ex);
		return caught[0];
	}

	@Test
	void taskDecoratorWrapsTheBodyAndCapturesOnTheCallerThread() throws Exception {
		String caller = Thread.currentThread().getName();
		this.executor.setTaskDecorator((runnable) -> {
			String capturedOn = Thread.currentThread().getName();
			return () -> {
				DECORATION.set(capturedOn);
				try {
					runnable.run();
				}
				finally {
					DECORATION.remove();
				}
			};
		});
		assertThat(this.offloader.call(DECORATION::get).get(5, TimeUnit.SECONDS)).isEqualTo(caller);
	}

	@Test
	void taskDecoratorThatDoesNotRunTheBodyStillCompletesTheFuture() {
		this.executor.setTaskDecorator((runnable) -> () -> {
		});
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<Boolean> future = this.offloader.call(() -> ran.getAndSet(true));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("did not run the offloaded call");
		assertThat(ran).isFalse();
	}

	@Test
	void taskDecoratorThatThrowsBeforeTheBodyFailsTheFutureWithItsException() {
		IllegalArgumentException failure = new IllegalArgumentException("decorator");
		this.executor.setTaskDecorator((runnable) -> () -> {
			throw failure;
		});
		CompletableFuture<String> future = this.offloader.call(() -> "never");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isSameAs(failure);
	}

	private static final ThreadLocal<String> DECORATION = new ThreadLocal<>();

}
