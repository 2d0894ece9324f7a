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

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Failures of the code the runtime calls around a body: context propagators, task
 * decorators, call listeners and the stage a body returns. Whatever fails, the caller's
 * future completes, nothing escapes {@code submit} at the caller, and the worker stays
 * alive and clean.
 */
class FailureIsolationTests {

	/**
	 * Set on a caller thread to make the next capture carry a context whose restore
	 * fails.
	 */
	private static final ThreadLocal<Boolean> POISON = ThreadLocal.withInitial(() -> false);

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

	@AfterEach
	void close() {
		this.release.countDown();
		POISON.remove();
		this.registries.forEach(OffloadExecutors::close);
	}

	private PlatformOffloadExecutor pool(int threads, ContextPropagator propagator) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", threads, threads, 10,
				Duration.ofSeconds(60), "race-pool-", null, Duration.ofSeconds(1), propagator);
		this.registries.add(new OffloadExecutors(List.of(executor), "pool"));
		return executor;
	}

	private RuntimeException fail(String what) {
		RuntimeException ex = new IllegalStateException(what);
		this.thrown.set(ex);
		return ex;
	}

	/**
	 * A propagator whose restore fails for a context captured while {@link #POISON} was
	 * set.
	 */
	private final ContextPropagator poisonable = new ContextPropagator() {

		@Override
		public @Nullable Object capture() {
			return POISON.get() ? "poison" : null;
		}

		@Override
		public @Nullable Object restore(@Nullable Object captured) {
			if ("poison".equals(captured)) {
				throw fail("restore failed");
			}
			return null;
		}

		@Override
		public void reset(@Nullable Object restored) {
		}

	};

	// Item 3: a restore that throws

	@Test
	void restoreThatThrowsFailsTheFutureAndKeepsTheWorker() throws Exception {
		PlatformOffloadExecutor executor = pool(1, this.poisonable);
		OffloadCallSite site = Races.site(executor);
		Thread worker = Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS);
		POISON.set(true);
		OffloadCall<String> poisoned = Races.call(site, () -> "never");
		POISON.set(false);
		Throwable failure = Races.failureOf(poisoned);
		assertThat(Races.isOrWraps(failure, this.thrown.get())).as("failure %s caused by the restore's", failure)
			.isTrue();
		assertThat(poisoned.getOutcome()).isEqualTo(OffloadOutcome.ERROR);
		assertThat(Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS)).as("the worker survived")
			.isSameAs(worker);
	}

	@Test
	void restoreThatThrowsOnAnInlineNestedCallFailsItsFutureAndLeavesTheWorkerAlone() throws Exception {
		PlatformOffloadExecutor executor = pool(1, this.poisonable);
		AtomicReference<Throwable> escaped = new AtomicReference<>();
		AtomicReference<OffloadCall<String>> nested = new AtomicReference<>();
		OffloadCall<String> outer = Races.call(Races.site(executor), () -> {
			// The only thread is busy with this body: the nested call runs inline.
			POISON.set(true);
			try {
				nested.set(Races.call(Races.site(executor, Duration.ofMillis(200)), () -> "never"));
			}
			catch (Throwable ex) {
				escaped.set(ex);
			}
			finally {
				POISON.set(false);
			}
			return "outer";
		});
		assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("outer");
		// An unrelated call on the same worker, running past the nested call's timeout.
		AtomicBoolean unrelatedInterrupted = new AtomicBoolean();
		OffloadCall<String> unrelated = Races.call(Races.site(executor), () -> {
			try {
				this.release.await(600, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				unrelatedInterrupted.set(true);
			}
			return "unrelated";
		});
		assertThat(unrelated.get(5, TimeUnit.SECONDS)).isEqualTo("unrelated");
		assertThat(escaped.get()).as("exception escaping submit in the outer body").isNull();
		assertThat(nested.get()).isNotNull();
		Throwable failure = Races.failureOf(nested.get());
		assertThat(Races.isOrWraps(failure, this.thrown.get())).as("failure %s caused by the restore's", failure)
			.isTrue();
		assertThat(unrelatedInterrupted).as("unrelated call interrupted by the nested call's timeout").isFalse();
	}

	@Test
	void restoreThatThrowsLeavesNoCallOnTheWorkersThread() throws Exception {
		try (SingleThreadWorker worker = new SingleThreadWorker("serial-1")) {
			OffloadCallSite site = Races.site(serial(worker, this.poisonable));
			POISON.set(true);
			OffloadCall<String> poisoned = Races.call(site, () -> "never");
			POISON.set(false);
			assertThat(Races.isOrWraps(Races.failureOf(poisoned), this.thrown.get())).isTrue();
			assertThat(worker.runPlain(CancelHooks::currentCall)).as("call left on the worker's thread").isNull();
		}
	}

	@Test
	void resetThatThrowsLeavesNoCallOnTheWorkersThread() throws Exception {
		try (SingleThreadWorker worker = new SingleThreadWorker("serial-1")) {
			OffloadCallSite site = Races.site(serial(worker, new ContextPropagator() {

				@Override
				public @Nullable Object capture() {
					return null;
				}

				@Override
				public @Nullable Object restore(@Nullable Object captured) {
					return null;
				}

				@Override
				public void reset(@Nullable Object restored) {
					throw fail("reset failed");
				}

			}));
			assertThat(Races.call(site, () -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
			assertThat(worker.runPlain(CancelHooks::currentCall)).as("call left on the worker's thread").isNull();
		}
	}

	@Test
	void restoreThatThrowsOnAnInlineNestedCallHandsTheOuterBodyItsInterruptBack() throws Exception {
		assertThat(outerInterruptedAfterPoisonedInlineCall(true)).isTrue();
	}

	@Test
	void restoreThatThrowsOnAnInlineNestedCallLeavesNoInterruptOnAnOuterBodyThatHadNone() throws Exception {
		assertThat(outerInterruptedAfterPoisonedInlineCall(false)).isFalse();
	}

	/**
	 * Runs a nested call inline (the pool's only thread runs the outer body) whose
	 * restore fails, and returns whether the outer body is interrupted after it.
	 */
	private boolean outerInterruptedAfterPoisonedInlineCall(boolean interruptOuter) throws Exception {
		PlatformOffloadExecutor executor = pool(1, this.poisonable);
		AtomicReference<OffloadCall<String>> nested = new AtomicReference<>();
		OffloadCall<Boolean> outer = Races.call(Races.site(executor), () -> {
			if (interruptOuter) {
				Thread.currentThread().interrupt();
			}
			POISON.set(true);
			try {
				nested.set(Races.call(Races.site(executor), () -> "never"));
			}
			finally {
				POISON.set(false);
			}
			return Thread.interrupted();
		});
		boolean interrupted = outer.get(5, TimeUnit.SECONDS);
		assertThat(Races.isOrWraps(Races.failureOf(nested.get()), this.thrown.get())).isTrue();
		return interrupted;
	}

	private BeanOffloadExecutor serial(SingleThreadWorker worker, ContextPropagator propagator) {
		BeanOffloadExecutor executor = new BeanOffloadExecutor("serial", "worker", worker, null, Duration.ofSeconds(1),
				propagator);
		this.registries.add(new OffloadExecutors(List.of(executor), "serial"));
		return executor;
	}

	// Item 4: a listener that throws

	@Test
	void listenerThatThrowsOnCompletionLeavesNoFutureIncomplete() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		executor.setCallListener(new OffloadCallListener() {

			@Override
			public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
				throw fail("listener failed on " + outcome);
			}

		});
		OffloadCallSite site = Races.site(executor);
		Thread worker = Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS);
		assertThat(Races.call(site, () -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
		assertThat(Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS)).as("the worker survived")
			.isSameAs(worker);
		// Timed out on the timeout thread.
		OffloadCall<String> timedOut = Races.call(Races.site(executor, Duration.ofMillis(50)), () -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "late";
		});
		assertThat(Races.failureOf(timedOut)).isInstanceOf(TimeoutException.class);
		// Cancelled by the caller.
		CountDownLatch started = new CountDownLatch(1);
		OffloadCall<String> cancelled = Races.call(site, () -> {
			started.countDown();
			this.release.await(5, TimeUnit.SECONDS);
			return "late";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThatNoException().as("cancel(true) at the caller").isThrownBy(() -> cancelled.cancel(true));
		assertThat(cancelled.isCancelled()).isTrue();
		// Rejected or cut off at shutdown.
		CountDownLatch blockerStarted = new CountDownLatch(1);
		OffloadCall<String> blocker = Races.call(site, () -> {
			blockerStarted.countDown();
			this.release.await(5, TimeUnit.SECONDS);
			return "blocker";
		});
		assertThat(blockerStarted.await(5, TimeUnit.SECONDS)).isTrue();
		OffloadCall<String> queued = Races.call(site, () -> "queued");
		OffloadExecutors registry = this.registries.get(0);
		assertThatNoException().as("close()").isThrownBy(registry::close);
		assertThat(blocker).isDone();
		assertThat(queued).isDone();
	}

	@Test
	void listenerThatThrowsOnStartStillRunsTheBody() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		executor.setCallListener(new OffloadCallListener() {

			@Override
			public void callStarted(OffloadCallSite site, long waitNanos) {
				throw fail("listener failed on start");
			}

		});
		assertThat(Races.call(Races.site(executor), () -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
	}

	@Test
	void listenerThatThrowsOnANestedCallDoesNotEscapeSubmit() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		executor.setCallListener(new OffloadCallListener() {

			@Override
			public void nestedCall(OffloadCallSite site, boolean inline) {
				throw fail("listener failed on nested call");
			}

		});
		OffloadCall<String> outer = Races.call(Races.site(executor),
				() -> Races.call(Races.site(executor), () -> "inner").get(5, TimeUnit.SECONDS));
		assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("inner");
	}

	// Item 9: capture() or TaskDecorator.decorate() that throws, at the caller

	@Test
	void captureThatThrowsFailsTheFutureInsteadOfEscapingSubmit() {
		PlatformOffloadExecutor executor = pool(1, new ContextPropagator() {

			@Override
			public @Nullable Object capture() {
				throw fail("capture failed");
			}

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				return null;
			}

			@Override
			public void reset(@Nullable Object restored) {
			}

		});
		AtomicReference<OffloadCall<String>> call = new AtomicReference<>();
		assertThatNoException().isThrownBy(() -> call.set(Races.call(Races.site(executor), () -> "never")));
		Throwable failure = Races.failureOf(call.get());
		assertThat(Races.isOrWraps(failure, this.thrown.get())).as("failure %s caused by the one thrown", failure)
			.isTrue();
	}

	@Test
	void taskDecoratorThatThrowsFailsTheFutureInsteadOfEscapingSubmit() {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		executor.setTaskDecorator((runnable) -> {
			throw fail("decorate failed");
		});
		AtomicReference<OffloadCall<String>> call = new AtomicReference<>();
		assertThatNoException().isThrownBy(() -> call.set(Races.call(Races.site(executor), () -> "never")));
		Throwable failure = Races.failureOf(call.get());
		assertThat(Races.isOrWraps(failure, this.thrown.get())).as("failure %s caused by the one thrown", failure)
			.isTrue();
	}

	// Item 10: a CompletionStage whose isDone() throws, or any stage

	@Test
	void bodyReturningCompletedStageCompletesTheFutureWithItsValue() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		OffloadCallSite site = Races.site(executor);
		Thread worker = Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS);
		OffloadCall<?> call = Races.call(site, () -> CompletableFuture.completedStage("value"));
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("value");
		assertThat(call.getOutcome()).isEqualTo(OffloadOutcome.SUCCESS);
		assertThat(Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS)).as("the worker survived")
			.isSameAs(worker);
	}

	@Test
	void bodyReturningFailedStageCompletesTheFutureWithItsException() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		OffloadCallSite site = Races.site(executor);
		Thread worker = Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS);
		IllegalArgumentException failure = new IllegalArgumentException("failed stage");
		OffloadCall<?> call = Races.call(site, () -> CompletableFuture.failedStage(failure));
		assertThat(Races.failureOf(call)).isSameAs(failure);
		assertThat(call.getOutcome()).isEqualTo(OffloadOutcome.ERROR);
		assertThat(Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS)).as("the worker survived")
			.isSameAs(worker);
	}

	@Test
	void bodyReturningMinimalStageCompletedLaterIsAwaited() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		CompletableFuture<String> source = new CompletableFuture<>();
		OffloadCall<?> call = Races.call(Races.site(executor), source::minimalCompletionStage);
		assertThat(this.release.await(50, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(call).isNotDone();
		source.complete("later");
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("later");
	}

	@Test
	void bodyReturningStageThatFailsToBeAwaitedFailsTheFuture() throws Exception {
		PlatformOffloadExecutor executor = pool(1, ContextPropagator.NONE);
		OffloadCallSite site = Races.site(executor);
		Thread worker = Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS);
		// A stage whose every method throws, as a broken third-party implementation
		// might.
		CompletionStage<?> broken = (CompletionStage<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { CompletionStage.class }, (proxy, method, args) -> {
					if (method.getDeclaringClass() == Object.class) {
						return switch (method.getName()) {
							case "equals" -> proxy == args[0];
							case "hashCode" -> System.identityHashCode(proxy);
							default -> "BrokenStage";
						};
					}
					throw fail("stage failed on " + method.getName());
				});
		OffloadCall<CompletionStage<?>> call = Races.call(site, () -> broken);
		Throwable failure = Races.failureOf(call);
		assertThat(Races.isOrWraps(failure, this.thrown.get())).as("failure %s caused by the stage's", failure)
			.isTrue();
		assertThat(call.getOutcome()).isEqualTo(OffloadOutcome.ERROR);
		assertThat(Races.call(site, Thread::currentThread).get(5, TimeUnit.SECONDS)).as("the worker survived")
			.isSameAs(worker);
	}

}
