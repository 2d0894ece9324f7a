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
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OffloadExecutors}: the registry and its shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
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
		// close() also waited for the pool's threads to end, not only for the calls.
		assertThat(executor.getThreadPoolExecutor().isTerminated()).isTrue();
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

	@Test
	void stopsInTheLifecyclePhaseOfSpringsOwnExecutors() {
		OffloadExecutors registry = registry(executor("io", 1, 1, Duration.ofSeconds(1)));
		assertThat(registry.getPhase()).isEqualTo(ExecutorConfigurationSupport.DEFAULT_PHASE);
	}

	@Test
	void destroyAloneShutsTheExecutorsDown() {
		PlatformOffloadExecutor executor = executor("io", 1, 1, Duration.ofSeconds(1));
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		registry.destroy();
		assertThat(executor.getThreadPoolExecutor().isShutdown()).isTrue();
		assertThat(offloader.call(() -> "late")).isCompletedExceptionally();
	}

	@Test
	void closeFromAnInterruptedThreadWaitsAllTheSameAndKeepsTheInterrupt() throws Exception {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofSeconds(5));
		OffloadExecutors registry = registry(executor);
		BlockingBody body = BlockingBody.until(this.release).returning("finished");
		CompletableFuture<String> running = new DefaultOffloader(registry).call(body);
		assertThat(body.awaitStarted()).isTrue();
		CompletableFuture<Boolean> interruptedAfterClose = new CompletableFuture<>();
		Thread closer = new Thread(() -> {
			Thread.currentThread().interrupt();
			registry.close();
			interruptedAfterClose.complete(Thread.interrupted());
		}, "closer");
		closer.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.getThreadPoolExecutor().isShutdown());
		assertThat(interruptedAfterClose).as("close() still waits for the running body").isNotDone();
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
		assertThat(interruptedAfterClose.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(body.wasInterrupted()).isFalse();
	}

	@Test
	void closeInterruptedWhileItWaitsWaitsAllTheSameAndHandsTheInterruptBack() throws Exception {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofSeconds(5));
		OffloadExecutors registry = registry(executor);
		BlockingBody body = BlockingBody.until(this.release).returning("finished");
		CompletableFuture<String> running = new DefaultOffloader(registry).call(body);
		assertThat(body.awaitStarted()).isTrue();
		CompletableFuture<Boolean> interruptedAfterClose = new CompletableFuture<>();
		Thread closer = new Thread(() -> {
			registry.close();
			interruptedAfterClose.complete(Thread.interrupted());
		}, "closer");
		closer.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> executor.getThreadPoolExecutor().isShutdown());
		closer.interrupt();
		await().atMost(Duration.ofSeconds(5)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
		assertThat(interruptedAfterClose).as("close() still waits for the running body").isNotDone();
		this.release.countDown();
		assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
		assertThat(interruptedAfterClose.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(body.wasInterrupted()).isFalse();
	}

	@Test
	void bodyThatTakesAMomentToStopAfterItsInterruptFailsWithItsOwnException(CapturedOutput output) throws Exception {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofMillis(100));
		OffloadExecutors registry = registry(executor);
		CountDownLatch started = new CountDownLatch(1);
		InterruptedException[] thrown = new InterruptedException[1];
		CompletableFuture<String> running = new DefaultOffloader(registry).call(() -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "finished";
			}
			catch (InterruptedException ex) {
				// Cleans up for 200 ms, well within the interrupt grace, then gives up.
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
				while (System.nanoTime() < end) {
					LockSupport.parkNanos(end - System.nanoTime());
				}
				thrown[0] = ex;
				throw ex;
			}
		});
		assertThat(Latches.await(started)).isTrue();
		registry.close();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> running.get(5, TimeUnit.SECONDS))
			.satisfies((ex) -> assertThat(ex.getCause()).isSameAs(thrown[0]));
		assertThat(output).doesNotContain("still running after their interrupt");
	}

	@Test
	void bodiesThatIgnoreTheirInterruptHaveTheirFuturesCompletedAndAreCounted(CapturedOutput output) throws Exception {
		PlatformOffloadExecutor executor = executor("io", 3, 10, Duration.ofMillis(100));
		OffloadExecutors registry = registry(executor);
		DefaultOffloader offloader = new DefaultOffloader(registry);
		CountDownLatch started = new CountDownLatch(3);
		List<BlockingBody> bodies = new ArrayList<>();
		List<CompletableFuture<String>> futures = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			BlockingBody body = BlockingBody.until(this.release).countingDown(started).ignoringInterrupts();
			bodies.add(body);
			futures.add(offloader.call(body));
		}
		assertThat(Latches.await(started)).isTrue();
		// Its future is done already; its body still runs, and close() must end it too.
		assertThat(futures.get(2).cancel(false)).isTrue();
		try {
			registry.close();
			for (CompletableFuture<String> future : futures.subList(0, 2)) {
				assertThat(future).isCancelled();
				assertThat(future.handle((value, ex) -> ex).get(5, TimeUnit.SECONDS))
					.isInstanceOf(CancellationException.class)
					.hasMessageContaining("shut down while the call to Offloader.call was still running");
			}
			assertThat(bodies).allSatisfy((body) -> assertThat(body.wasInterrupted()).isTrue());
			assertThat(output).containsOnlyOnce("Offload executor 'io' shut down with 2 call(s) still running after "
					+ "their interrupt; their futures were completed exceptionally");
		}
		finally {
			this.release.countDown();
		}
	}

	@Test
	void timeoutThreadsAreDaemonsAndEndWithTheRegistry() throws Exception {
		Set<Thread> before = timeoutThreads();
		OffloadExecutors registry = registry(executor("io", 1, 10, Duration.ofSeconds(1)));
		DefaultOffloader offloader = new DefaultOffloader(registry);
		BlockingBody body = BlockingBody.until(this.release);
		CompletableFuture<String> timedOut = offloader.timeout(Duration.ofMillis(20)).call(body);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS));
		Set<Thread> ours = timeoutThreads();
		ours.removeAll(before);
		assertThat(ours).extracting(Thread::getName)
			.anyMatch((name) -> name.startsWith("offload-completion-"))
			.anyMatch((name) -> name.startsWith("offload-timeout-"));
		assertThat(ours).allMatch(Thread::isDaemon);
		registry.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> ours.stream().noneMatch(Thread::isAlive));
	}

	private static Set<Thread> timeoutThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> (thread.getName().startsWith("offload-timeout-")
					|| thread.getName().startsWith("offload-completion-")) && thread.isAlive())
			.collect(Collectors.toSet());
	}

	@Test
	void bodyThatSwallowedItsTimeoutsInterruptIsInterruptedAgainAtClose() throws Exception {
		assertInterruptedAgainAtClose(executor("io", 1, 10, Duration.ofMillis(100)));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualBodyThatSwallowedItsTimeoutsInterruptIsInterruptedAgainAtClose() throws Exception {
		assertInterruptedAgainAtClose(new VirtualOffloadExecutor("http", null, 0, "offload-http-", null,
				Duration.ofMillis(100), ContextPropagator.NONE));
	}

	/**
	 * The body is interrupted by its timeout, then again when close() cuts it off (and
	 * again when the grace ends, and by a pool's shutdownNow(): interrupts that land
	 * close together may be seen as one).
	 */
	private void assertInterruptedAgainAtClose(OffloadExecutor executor) throws Exception {
		OffloadExecutors registry = registry(executor);
		BlockingBody body = BlockingBody.until(this.release).ignoringInterrupts();
		CompletableFuture<String> timedOut = new DefaultOffloader(registry).timeout(Duration.ofMillis(50)).call(body);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS));
		assertThat(body.awaitInterrupted()).isTrue();
		try {
			registry.close();
			assertThat(body.interruptCount()).isGreaterThanOrEqualTo(2);
		}
		finally {
			this.release.countDown();
		}
	}

	@Test
	void timeoutThreadIsKeptBetweenTimeouts() throws Exception {
		Set<Thread> before = timeoutThreads();
		OffloadExecutors registry = registry(executor("io", 1, 10, Duration.ofSeconds(1)));
		DefaultOffloader offloader = new DefaultOffloader(registry);
		assertThat(offloader.timeout(Duration.ofSeconds(5)).call(() -> "quick").get(5, TimeUnit.SECONDS))
			.isEqualTo("quick");
		Set<Thread> timer = timeoutThreads();
		timer.removeAll(before);
		assertThat(timer).singleElement()
			.satisfies((thread) -> assertThat(thread.getName()).doesNotContain("completer"));
		// One thread fires every timeout: it is not started anew for each.
		await().during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(1))
			.until(() -> timer.iterator().next().isAlive());
	}

	@Test
	void callWithATimeoutMadeWhileTheTimerIsShutDownIsRejected() {
		PlatformOffloadExecutor executor = executor("io", 1, 10, Duration.ofSeconds(1));
		registry(executor);
		// As when close() completes between the call's shutdown check and its timeout.
		CallTimeouts timeouts = new CallTimeouts();
		timeouts.shutdown();
		executor.setTimeouts(timeouts);
		CompletableFuture<String> future = new DefaultOffloader(this.registries.get(0)).timeout(Duration.ofSeconds(1))
			.call(() -> "never");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(TaskRejectedException.class)
			.withMessageContaining("'io' is shut down");
		assertThat(executor.getCompletedCount()).isZero();
	}

}
