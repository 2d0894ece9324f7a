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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.offload.Offloader;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OffloadCall}: the caller's future and the task in one object.
 * <p>
 * Calls run on {@code io}, a pool of one platform thread, or on {@code serial}, an
 * executor with one thread that clears nothing between tasks: a
 * {@code ThreadPoolExecutor} clears the interrupt flag before each task, so an interrupt
 * left on the thread can only be seen on {@code serial}, by the plain task that follows
 * the call there.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadCallTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor executor = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final SingleThreadWorker worker = new SingleThreadWorker("serial-1");

	private final BeanOffloadExecutor serialExecutor = new BeanOffloadExecutor("serial", "worker", this.worker, null,
			Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor, this.serialExecutor), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	private final Offloader serial = this.offloader.executor("serial");

	@AfterEach
	void close() throws InterruptedException {
		this.release.countDown();
		this.registry.close();
		this.worker.close();
	}

	private BlockingBody blocking() {
		return BlockingBody.until(this.release);
	}

	/**
	 * What the next plain task on the {@code serial} thread sees: that thread, and
	 * whether it is interrupted.
	 */
	private String nextTaskOnSerial() throws Exception {
		return this.worker.runPlain(
				() -> Thread.currentThread().getName() + " interrupted=" + Thread.currentThread().isInterrupted());
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
	void returnedPlainFutureIsAwaitedOnTheWorker() throws Exception {
		FutureTask<String> plain = new FutureTask<>(() -> "from a plain future");
		CountDownLatch returned = new CountDownLatch(1);
		CompletableFuture<Object> future = this.offloader.call(() -> {
			returned.countDown();
			return plain;
		});
		Latches.awaitOrFail(returned, "the body returned its future");
		plain.run();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("from a plain future");
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
	}

	@Test
	void returnedPlainFutureThatFailsCompletesCallerFutureWithItsCause() {
		IllegalStateException failure = new IllegalStateException("failed later");
		FutureTask<String> plain = new FutureTask<>(() -> {
			throw failure;
		});
		plain.run();
		CompletableFuture<Object> future = this.offloader.call(() -> plain);
		assertThat(catchExecutionException(future).getCause()).isSameAs(failure);
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.ERROR);
	}

	@Test
	void timeoutInterruptsRunningBody() throws Exception {
		BlockingBody body = blocking();
		long start = System.nanoTime();
		CompletableFuture<String> future = this.offloader.timeout(Duration.ofMillis(200)).call(body);
		assertThat(body.awaitStarted()).isTrue();
		ExecutionException ex = catchExecutionException(future);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class)
			.hasMessage("Offloaded call to Offloader.call on executor 'io' timed out after 200ms while it was "
					+ "running (the body was interrupted)");
		assertThat(elapsedMillis).isBetween(150L, 3000L);
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
	}

	@Test
	void cancelInterruptsRunningBody() throws Exception {
		BlockingBody body = blocking();
		CompletableFuture<String> future = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		assertThat(future.cancel(true)).isTrue();
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(future.isCancelled()).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.CANCELLED);
		// The only worker is free again.
		assertThat(this.offloader.call(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
	}

	@Test
	void cancelledBodyThatSetsItsInterruptFlagAgainLeavesNoFlagOnTheThread() throws Exception {
		BlockingBody body = blocking().restoringInterrupt();
		CompletableFuture<String> future = this.serial.call(body);
		assertThat(body.awaitStarted()).isTrue();
		assertThat(future.cancel(true)).isTrue();
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(nextTaskOnSerial()).isEqualTo("serial-1 interrupted=false");
	}

	@Test
	void cancelWithoutInterruptLeavesRunningBodyAlone() throws Exception {
		BlockingBody body = blocking().returning("late");
		CompletableFuture<String> future = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		assertThat(future.cancel(false)).isTrue();
		assertThat(future.isCancelled()).isTrue();
		this.release.countDown();
		// The body returns, and the worker takes the next call.
		assertThat(this.offloader.call(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
		assertThat(body.wasInterrupted()).isFalse();
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
		BlockingBody body = blocking();
		CompletableFuture<String> future = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		assertThat(future.complete("fallback")).isTrue();
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("fallback");
	}

	@Test
	void callerCompletingARunningCallWithATimeoutInterruptsTheBodyAndCountsATimeout() throws Exception {
		BlockingBody body = blocking();
		CompletableFuture<String> future = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		TimeoutException gaveUp = new TimeoutException("the caller gave up");
		assertThat(future.completeExceptionally(gaveUp)).isTrue();
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(catchExecutionException(future).getCause()).isSameAs(gaveUp);
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
	}

	@Test
	void callerCompletingAQueuedCallWithATimeoutRemovesItAndCountsATimeout() throws Exception {
		BlockingBody first = blocking();
		CompletableFuture<String> running = this.offloader.call(first);
		assertThat(first.awaitStarted()).isTrue();
		BlockingBody second = blocking();
		CompletableFuture<String> queued = this.offloader.call(second);
		assertThat(this.executor.getQueueSize()).isEqualTo(1);
		assertThat(((OffloadCall<?>) queued).hasStarted()).isFalse();
		assertThat(((OffloadCall<?>) running).hasStarted()).isTrue();
		assertThat(queued.completeExceptionally(new TimeoutException("the caller gave up"))).isTrue();
		assertThat(this.executor.getQueueSize()).isZero();
		assertThat(((OffloadCall<?>) queued).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.offloader.call(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
		assertThat(second.hasStarted()).isFalse();
	}

	@Test
	void orTimeoutOnARunningCallInterruptsTheBodyAndCountsATimeout() throws Exception {
		BlockingBody body = blocking();
		CompletableFuture<String> future = this.offloader.call(body);
		assertThat(body.awaitStarted()).isTrue();
		future.orTimeout(50, TimeUnit.MILLISECONDS);
		assertThat(catchExecutionException(future).getCause()).isInstanceOf(TimeoutException.class);
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
	}

	@Test
	void orTimeoutOnAQueuedCallRemovesItAndCountsATimeout() throws Exception {
		BlockingBody first = blocking();
		CompletableFuture<String> running = this.offloader.call(first);
		assertThat(first.awaitStarted()).isTrue();
		BlockingBody second = blocking();
		CompletableFuture<String> queued = this.offloader.call(second);
		queued.orTimeout(50, TimeUnit.MILLISECONDS);
		assertThat(catchExecutionException(queued).getCause()).isInstanceOf(TimeoutException.class);
		assertThat(this.executor.getQueueSize()).isZero();
		assertThat(((OffloadCall<?>) queued).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
		assertThat(this.executor.getTimedOutCount()).isEqualTo(1);
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.offloader.call(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
		assertThat(second.hasStarted()).isFalse();
	}

	@Test
	void noInterruptFlagLeaksToTheNextTaskOnTheThread() throws Exception {
		CompletableFuture<String> future = this.serial.call(() -> {
			Thread.currentThread().interrupt();
			return Thread.currentThread().getName();
		});
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("serial-1");
		assertThat(nextTaskOnSerial()).isEqualTo("serial-1 interrupted=false");
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
		Offloader racing = this.serial.timeout(Duration.ofNanos(1_000_000));
		for (int i = 0; i < 200; i++) {
			CompletableFuture<Integer> future = racing.call(() -> 42);
			try {
				assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo(42);
				assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
				assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.TIMEOUT);
			}
			// An interrupt that lands after the body returned must not outlive the call.
			assertThat(nextTaskOnSerial()).as("after call %d", i).isEqualTo("serial-1 interrupted=false");
		}
		// Every call was accounted for (untracked just after its future completed).
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.serialExecutor.getInFlightCount() == 0);
	}

	@Test
	void timeoutOfAQueuedCallSaysItWillNotRun() throws Exception {
		BlockingBody first = blocking();
		CompletableFuture<String> running = this.offloader.call(first);
		assertThat(first.awaitStarted()).isTrue();
		CompletableFuture<String> queued = this.offloader.timeout(Duration.ofMillis(50)).call(() -> "never");
		assertThat(catchExecutionException(queued).getCause()).isInstanceOf(TimeoutException.class)
			.hasMessage("Offloaded call to Offloader.call on executor 'io' timed out after 50ms before a worker "
					+ "took it (it will not run)");
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void timeoutsAreWrittenInSecondsWhenWhole() {
		assertThat(site(Duration.ofSeconds(2)).formatTimeout()).isEqualTo("2s");
		assertThat(site(Duration.ofMillis(1500)).formatTimeout()).isEqualTo("1500ms");
	}

	private OffloadCallSite site(Duration timeout) {
		return new OffloadCallSite(this.executor, timeout.toNanos(), "com.example.Reports", "render",
				"Reports.render()", false, OffloadCallSite.TaskKind.CALLABLE);
	}

	@Test
	void timedOutCallCompletesOnACompletionThreadNotOnTheTimer() throws Exception {
		// Long enough for the stage to be attached before the timeout fires.
		CompletableFuture<String> future = this.offloader.timeout(Duration.ofMillis(200)).call(blocking());
		CompletableFuture<String> stageThread = future.handle((value, ex) -> Thread.currentThread().getName());
		assertThat(stageThread.get(5, TimeUnit.SECONDS)).startsWith("offload-completion-");
	}

	@Test
	void whenEveryCompletionThreadIsBusyTheTimerCompletesTheCallItself() throws Exception {
		// Each timed-out call's callback holds its completion thread until released.
		CountDownLatch callbacks = new CountDownLatch(1);
		BlockingBody first = blocking();
		CompletableFuture<String> running = this.offloader.call(first);
		assertThat(first.awaitStarted()).isTrue();
		PlatformOffloadExecutor queue = new PlatformOffloadExecutor("wide", 1, 1, 200, Duration.ofSeconds(60),
				"offload-wide-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(queue), "wide");
		try {
			// Long enough for every callback to be attached before the timeouts fire.
			Offloader wide = new DefaultOffloader(registry).timeout(Duration.ofMillis(300));
			BlockingBody blocker = blocking();
			CompletableFuture<String> blocked = new DefaultOffloader(registry).call(blocker);
			assertThat(blocker.awaitStarted()).isTrue();
			List<CompletableFuture<String>> stages = new java.util.ArrayList<>();
			for (int i = 0; i < CallTimeouts.MAX_COMPLETION_THREADS + 1; i++) {
				stages.add(wide.call(() -> "never").handle((value, ex) -> {
					try {
						callbacks.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
					}
					return Thread.currentThread().getName();
				}));
			}
			// Every completion thread is held, and the timer runs the last completion.
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.filter((thread) -> thread.getName().startsWith("offload-timeout-")
							&& thread.getState() == Thread.State.TIMED_WAITING
							&& java.util.Arrays.stream(thread.getStackTrace())
								.anyMatch((frame) -> frame.getClassName().equals(CountDownLatch.class.getName())))
					.count() == 1);
			callbacks.countDown();
			for (CompletableFuture<String> stage : stages) {
				assertThat(stage.get(5, TimeUnit.SECONDS)).matches("offload-(timeout|completion)-\\d+");
			}
			assertThat(stages).extracting((stage) -> stage.join())
				.filteredOn((thread) -> thread.startsWith("offload-timeout-"))
				.hasSize(1);
			this.release.countDown();
			assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
		finally {
			callbacks.countDown();
			registry.close();
		}
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void completingACallThatIsDoneChangesNothing() throws Exception {
		CompletableFuture<String> future = this.offloader.call(() -> "done");
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(future.complete("other")).isFalse();
		assertThat(future.completeExceptionally(new TimeoutException())).isFalse();
		assertThat(future.completeExceptionally(new IllegalStateException())).isFalse();
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
		assertThat(this.executor.getTimedOutCount()).isZero();
	}

	@Test
	void cancelledCallThatTheExecutorStillHandsToItsThreadNeverRuns() throws Exception {
		// The serial executor cannot take a call out of its queue: the call itself
		// refuses to
		// run once cancelled.
		BlockingBody first = blocking();
		CompletableFuture<String> running = this.serial.call(first);
		assertThat(first.awaitStarted()).isTrue();
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<Boolean> queued = this.serial.call(() -> ran.getAndSet(true));
		assertThat(queued.cancel(true)).isTrue();
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.worker.runPlain(ran::get)).isFalse();
		assertThat(((OffloadCall<?>) queued).hasStarted()).isFalse();
	}

	@Test
	void returnedFailedFutureCompletesCallerFutureWithItsExceptionUnwrapped() throws Exception {
		IllegalArgumentException thrown = new IllegalArgumentException("bad");
		CompletableFuture<CompletableFuture<String>> future = this.offloader
			.call(() -> CompletableFuture.failedFuture(thrown));
		// A dependent stage sees the exception the future was completed with: the same
		// instance, not a CompletionException around it.
		assertThat(future.handle((value, ex) -> ex).get(5, TimeUnit.SECONDS)).isSameAs(thrown);
	}

	@Test
	void workerThreadRunsNoCallOnceTheCallIsOver() throws Exception {
		assertThat(this.serial.call(() -> CancelHooks.currentCall() != null).get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.worker.runPlain(CancelHooks::currentCall)).isNull();
	}

	@Test
	void returnedFutureCompletedLaterCompletesTheCallersFuture() throws Exception {
		CompletableFuture<String> later = new CompletableFuture<>();
		CompletableFuture<Object> future = this.offloader.call(() -> later);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.getActiveCount() == 0);
		assertThat(future).isNotDone();
		later.complete("later");
		assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("later");
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
	}

	@Test
	void returnedStageThatFailsLaterWithACompletionExceptionCompletesWithItsCause() {
		IllegalStateException cause = new IllegalStateException("failed later");
		CompletableFuture<String> later = new CompletableFuture<>();
		CompletableFuture<Object> future = this.offloader.call(() -> later.thenApply((value) -> value));
		later.completeExceptionally(cause);
		assertThat(catchExecutionException(future).getCause()).isSameAs(cause);
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.ERROR);
	}

	@Test
	void returnedStageThatIsCancelledCountsAsCancelled() {
		CompletableFuture<String> later = new CompletableFuture<>();
		CompletableFuture<Object> future = this.offloader.call(() -> later.minimalCompletionStage());
		later.cancel(false);
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS));
		assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.CANCELLED);
	}

	@Test
	void nestedCallRunInlineHandsTheOuterBodyItsInterruptBack() throws Exception {
		CompletableFuture<String> outer = this.offloader.call(() -> {
			Thread.currentThread().interrupt();
			// The only thread is this one: the nested call runs inline, here.
			CompletableFuture<Boolean> inner = this.offloader.call(() -> Thread.currentThread().isInterrupted());
			return "inner saw " + inner.join() + ", outer has " + Thread.currentThread().isInterrupted();
		});
		assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("inner saw true, outer has true");
		assertThat(this.executor.getNestedInlineCount()).isOne();
	}

	@Test
	void nestedCallRunInlineKeepsAnInterruptMeantForTheOuterBody() throws Exception {
		CountDownLatch innerRunning = new CountDownLatch(1);
		AtomicReference<String> seenByOuter = new AtomicReference<>();
		CompletableFuture<String> outer = this.offloader.call(() -> {
			CompletableFuture<String> inner = this.offloader.call(() -> {
				innerRunning.countDown();
				try {
					this.release.await(5, TimeUnit.SECONDS);
					return "released";
				}
				catch (InterruptedException ex) {
					return "interrupted";
				}
			});
			seenByOuter.set(inner.join() + ", outer has " + Thread.currentThread().isInterrupted());
			return "outer";
		});
		assertThat(Latches.await(innerRunning)).isTrue();
		// Meant for the outer body; the inner body, on the same thread, sees it first.
		assertThat(outer.cancel(true)).isTrue();
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> seenByOuter.get() != null);
		assertThat(seenByOuter.get()).isEqualTo("interrupted, outer has true");
		assertThat(this.executor.getNestedInlineCount()).isOne();
	}

	@Test
	void toStringsNameWhatTheyAre() throws Exception {
		CompletableFuture<String> future = this.offloader.call(() -> "done");
		future.get(5, TimeUnit.SECONDS);
		assertThat(future.toString()).startsWith("OffloadCall[Offloader.call on executor 'io'] ");
		assertThat(this.executor).hasToString("PlatformOffloadExecutor[io, offload-io-]");
		assertThat(this.serialExecutor).hasToString("BeanOffloadExecutor[serial]");
		assertThat(this.offloader).hasToString("Offloader[io]");
		assertThat(this.serial).hasToString("Offloader[serial]");
	}

	private static ExecutionException catchExecutionException(CompletableFuture<?> future) {
		ExecutionException[] caught = new ExecutionException[1];
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.satisfies((ex) -> caught[0] = ex);
		return caught[0];
	}

	@Test
	void taskDecoratorWrapsTheBodyAndCapturesOnTheCallerThread(CapturedOutput output) throws Exception {
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
		assertThat(output).doesNotContain("A TaskDecorator failed");
	}

	@Test
	void taskDecoratorThatThrowsAfterTheBodyLeavesTheBodysOutcomeAndIsLogged(CapturedOutput output) throws Exception {
		IllegalStateException failure = new IllegalStateException("decorator failed afterwards");
		this.executor.setTaskDecorator((runnable) -> () -> {
			runnable.run();
			throw failure;
		});
		assertThat(this.offloader.call(() -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output)
				.contains("A TaskDecorator failed after the offloaded call to Offloader.call")
				.contains("decorator failed afterwards"));
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
		// The call left the running state, so it is forgotten and close() need not wait.
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.executor.getInFlightCount() == 0);
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

	@Test
	void timeoutAfterTheBodyReturnedSaysItsResultIsDiscarded() {
		CompletableFuture<Object> future = this.offloader.timeout(Duration.ofMillis(50))
			.call(() -> new CompletableFuture<String>());
		assertThat(catchExecutionException(future).getCause()).isInstanceOf(TimeoutException.class)
			.hasMessageEndingWith("timed out after 50ms after its body had returned (its result is discarded)");
	}

	@Test
	void plainTaskAfterACallIsNotTakenForANestedCall() throws Exception {
		org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor application = new org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor();
		application.setCorePoolSize(1);
		application.setMaxPoolSize(1);
		application.initialize();
		BeanOffloadExecutor executor = new BeanOffloadExecutor("app", "application", application, null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), "app");
		try {
			DefaultOffloader app = new DefaultOffloader(registry);
			assertThat(app.call(() -> "first").get(5, TimeUnit.SECONDS)).isEqualTo("first");
			// The application's own task on the same thread, offloading in turn: no body
			// of
			// ours runs there now, so its call is queued like any other, not run inline.
			CompletableFuture<CompletableFuture<String>> fromPlainTask = application
				.submitCompletable(() -> app.call(() -> "second"));
			CompletableFuture<String> second = fromPlainTask.get(5, TimeUnit.SECONDS);
			assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
			assertThat(executor.getNestedInlineCount()).isZero();
		}
		finally {
			registry.close();
			application.shutdown();
		}
	}

}
