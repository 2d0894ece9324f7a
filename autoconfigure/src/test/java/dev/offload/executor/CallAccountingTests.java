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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.task.TaskDecorator;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for what the executor tells its {@link OffloadCallListener} (how meters observe
 * calls) and its {@link OffloadCallObserver} (how tracing observes each call), and for
 * calls that fail before a worker could take them.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallAccountingTests {

	private final PlatformOffloadExecutor executor = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void listenerIsToldHowLongEachCallWaitedAndTook() throws Exception {
		List<Long> waits = new CopyOnWriteArrayList<>();
		List<Long> durations = new CopyOnWriteArrayList<>();
		this.executor.setCallListener(new OffloadCallListener() {

			@Override
			public void callStarted(OffloadCallSite site, long waitNanos) {
				waits.add(waitNanos);
			}

			@Override
			public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
				durations.add(durationNanos);
			}

		});
		long before = System.nanoTime();
		assertThat(this.offloader.call(() -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
		long elapsed = System.nanoTime() - before;
		assertThat(waits).singleElement().satisfies((wait) -> assertThat(wait).isBetween(0L, elapsed));
		assertThat(durations).singleElement()
			.satisfies((duration) -> assertThat(duration).isBetween(waits.get(0), elapsed));
	}

	@Test
	void listenerThatThrowsIsCountedAndLoggedOnceAndTheCallsGoOn(CapturedOutput output) throws Exception {
		this.executor.setCallListener(new OffloadCallListener() {

			@Override
			public void callStarted(OffloadCallSite site, long waitNanos) {
				throw new IllegalStateException("registry down (started)");
			}

			@Override
			public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
				throw new IllegalStateException("registry down (completed)");
			}

			@Override
			public void nestedCall(OffloadCallSite site, boolean inline) {
				throw new IllegalStateException("registry down (nested)");
			}

		});
		assertThat(this.offloader.call(() -> "value").get(5, TimeUnit.SECONDS)).isEqualTo("value");
		assertThat(this.offloader.call(() -> this.offloader.call(() -> "inner").get(5, TimeUnit.SECONDS))
			.get(5, TimeUnit.SECONDS)).isEqualTo("inner");
		// Two started and two completed for each of the two outer calls and the nested
		// one,
		// and one nested call.
		assertThat(this.executor.getListenerFailureCount()).isEqualTo(7);
		assertThat(output).containsOnlyOnce("The call listener of offload executor 'io' failed")
			.contains("(logged at WARN once, then at DEBUG)")
			.contains("registry down (started)");
	}

	@Test
	void observerIsToldOfEachStepOfAnObservedCallOnceAndInOrder() throws Exception {
		List<String> steps = new CopyOnWriteArrayList<>();
		PlatformOffloadExecutor observed = new PlatformOffloadExecutor("observed", 1, 1, 10, Duration.ofSeconds(60),
				"offload-observed-", null, Duration.ofSeconds(1), new ContextPropagator() {

					@Override
					public Object capture() {
						return "caller";
					}

					@Override
					public @Nullable Object restore(@Nullable Object captured) {
						steps.add("restore " + captured);
						return null;
					}

					@Override
					public void reset(@Nullable Object restored) {
					}

				});
		OffloadExecutors executors = new OffloadExecutors(List.of(observed), "observed");
		try {
			executors.setCallObserver(new OffloadCallObserver() {

				@Override
				public Object callSubmitted(OffloadCallSite site) {
					steps.add("submitted");
					return "observation";
				}

				@Override
				public void callStarted(Object observation) {
					steps.add("started " + observation);
				}

				@Override
				public Object openScope(Object observation) {
					steps.add("open " + observation);
					return "scope";
				}

				@Override
				public void closeScope(Object scope) {
					steps.add("close " + scope);
				}

				@Override
				public void callCompleted(Object observation, OffloadOutcome outcome, @Nullable Throwable failure) {
					steps.add("completed " + observation + " " + outcome);
				}

			});
			CompletableFuture<String> result = new DefaultOffloader(executors).call(() -> {
				steps.add("body");
				return "value";
			});
			assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("value");
			assertThat(steps).containsExactly("submitted", "started observation", "restore caller", "open observation",
					"body", "close scope", "completed observation SUCCESS");
		}
		finally {
			executors.close();
		}
	}

	@Test
	void observerThatThrowsIsCountedAndTheCallsGoOn(CapturedOutput output) throws Exception {
		this.registry.setCallObserver(new OffloadCallObserver() {

			private int calls;

			@Override
			public @Nullable Object callSubmitted(OffloadCallSite site) {
				if (this.calls++ == 0) {
					throw new IllegalStateException("tracer down (submitted)");
				}
				return "observation";
			}

			@Override
			public void callStarted(Object observation) {
				throw new IllegalStateException("tracer down (started)");
			}

			@Override
			public Object openScope(Object observation) {
				throw new IllegalStateException("tracer down (scope)");
			}

			@Override
			public void callCompleted(Object observation, OffloadOutcome outcome, @Nullable Throwable failure) {
				throw new IllegalStateException("tracer down (completed)");
			}

		});
		assertThat(this.offloader.call(() -> "unobserved").get(5, TimeUnit.SECONDS)).isEqualTo("unobserved");
		assertThat(this.offloader.call(() -> "observed").get(5, TimeUnit.SECONDS)).isEqualTo("observed");
		// The first call: its submission; the second: started, scope and completed.
		assertThat(this.executor.getListenerFailureCount()).isEqualTo(4);
		assertThat(output).containsOnlyOnce("The call observer of offload executor 'io' failed")
			.contains("tracer down (submitted)");
	}

	@Test
	void observerThatThrowsWhenItsScopeClosesIsCountedAndTheCallGoesOn() throws Exception {
		this.registry.setCallObserver(new OffloadCallObserver() {

			@Override
			public @Nullable Object callSubmitted(OffloadCallSite site) {
				return "observation";
			}

			@Override
			public Object openScope(Object observation) {
				return "scope";
			}

			@Override
			public void closeScope(Object scope) {
				throw new IllegalStateException("tracer down (scope closed)");
			}

		});
		assertThat(this.offloader.call(() -> "observed").get(5, TimeUnit.SECONDS)).isEqualTo("observed");
		assertThat(this.executor.getListenerFailureCount()).isEqualTo(1);
	}

	@Test
	void failureOfAFireAndForgetCallIsLogged(CapturedOutput output) throws Exception {
		OffloadCallSite site = new OffloadCallSite(this.executor, 0, "dev.offload.race.Race", "fire", "Race.fire()",
				true, OffloadCallSite.TaskKind.RUNNABLE);
		CompletableFuture<Object> call = site.submit((Runnable) () -> {
			throw new IllegalStateException("nobody waits for this");
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(5, TimeUnit.SECONDS));
		assertThat(output).contains("Offloaded call to Race.fire() on executor 'io' failed")
			.contains("nobody waits for this");
	}

	@Test
	void failureOfACallSomeoneWaitsForIsNotLogged(CapturedOutput output) throws Exception {
		CompletableFuture<Object> call = Races.site(this.executor)
			.submit((java.util.concurrent.Callable<Object>) () -> {
				throw new IllegalStateException("the caller sees this");
			});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(5, TimeUnit.SECONDS));
		assertThat(output).doesNotContain("the caller sees this");
	}

	@Test
	void contextThatCannotBeCapturedFailsTheCallOnTheCallerThread() throws Exception {
		IllegalStateException failure = new IllegalStateException("capture failed");
		PlatformOffloadExecutor failing = new PlatformOffloadExecutor("failing", 1, 1, 10, Duration.ofSeconds(60),
				"offload-failing-", null, Duration.ofSeconds(1), new ContextPropagator() {

					@Override
					public @Nullable Object capture() {
						throw failure;
					}

					@Override
					public @Nullable Object restore(@Nullable Object captured) {
						return null;
					}

					@Override
					public void reset(@Nullable Object restored) {
					}

				});
		assertFailsBeforeAnyWorker(failing, failure);
	}

	@Test
	void taskDecoratorThatCannotDecorateFailsTheCallOnTheCallerThread() throws Exception {
		IllegalStateException failure = new IllegalStateException("decorate failed");
		PlatformOffloadExecutor failing = new PlatformOffloadExecutor("failing", 1, 1, 10, Duration.ofSeconds(60),
				"offload-failing-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
		TaskDecorator decorator = (runnable) -> {
			throw failure;
		};
		failing.setTaskDecorator(decorator);
		assertFailsBeforeAnyWorker(failing, failure);
	}

	private void assertFailsBeforeAnyWorker(PlatformOffloadExecutor failing, IllegalStateException failure)
			throws Exception {
		OffloadExecutors registry = new OffloadExecutors(List.of(failing), "failing");
		try {
			CompletableFuture<String> future = new DefaultOffloader(registry).call(() -> "never");
			assertThat(future).isCompletedExceptionally();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(failure);
			assertThat(((OffloadCall<?>) future).getOutcome()).isEqualTo(OffloadOutcome.ERROR);
			assertThat(((OffloadCall<?>) future).hasStarted()).isFalse();
			assertThat(failing.getInFlightCount()).isZero();
			assertThat(failing.getCompletedCount()).isZero();
		}
		finally {
			registry.close();
		}
	}

}
