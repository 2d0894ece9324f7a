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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.Offloader;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for deadline inheritance in {@link OffloadExecutor#submit}: a call made where a
 * deadline is in force (a running body with a timeout, a scope's fork) gets at most the
 * time left, across executors and through nested calls.
 */
class DeadlineInheritanceTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = executor("io");

	private final PlatformOffloadExecutor jdbc = executor("jdbc");

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io, this.jdbc), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	private static PlatformOffloadExecutor executor(String name) {
		return new PlatformOffloadExecutor(name, 4, 4, 10, Duration.ofSeconds(60), "offload-" + name + "-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	@Test
	void statementQueryTimeoutOfNestedCallComesFromTheInheritedDeadline() throws Exception {
		// What a JDBC statement of the nested body gets as its query timeout: the time
		// left
		// of the deadline it inherited, not "none" because it has no timeout of its own.
		long remaining = this.offloader.timeout(Duration.ofSeconds(3))
			.call(() -> this.offloader.executor("jdbc")
				.call(() -> CancelHooks.remainingNanos(CallRunner.current()))
				.get(5, TimeUnit.SECONDS))
			.get(5, TimeUnit.SECONDS);
		assertThat(remaining).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3).toNanos());
	}

	@Test
	void nestedCallOnAnotherExecutorInheritsTimeLeftOfCallingBody() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		long start = System.nanoTime();
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofMillis(300)).call(() -> {
			nested.set(this.offloader.executor("jdbc").call(this::blockUntilReleased));
			return nested.get().get(5, TimeUnit.SECONDS);
		});
		assertTimedOut(outer);
		TimeoutException ex = assertTimedOut(nested.get());
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
		assertThat(ex).hasMessageStartingWith("Offloaded call to Offloader.call on executor 'jdbc' timed out after ")
			.hasMessageContaining(", the time left of the deadline it inherited from the call to Offloader.call "
					+ "on executor 'io' (timeout 300ms), while it was running (the body was interrupted)");
	}

	@Test
	void deadlineFlowsThroughNestedCallsFromTheCallThatSetIt() throws Exception {
		AtomicReference<CompletableFuture<String>> innermost = new AtomicReference<>();
		Offloader jdbc = this.offloader.executor("jdbc");
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofMillis(200)).call(() -> jdbc.call(() -> {
			innermost.set(this.offloader.call(this::blockUntilReleased));
			return innermost.get().get(5, TimeUnit.SECONDS);
		}).get(5, TimeUnit.SECONDS));
		assertTimedOut(outer);
		assertThat(assertTimedOut(innermost.get()))
			.hasMessageContaining("inherited from the call to Offloader.call on executor 'io' (timeout 200ms)");
	}

	@Test
	void callWithShorterTimeoutKeepsItsOwn() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofSeconds(5)).call(() -> {
			nested.set(this.offloader.executor("jdbc").timeout(Duration.ofMillis(50)).call(this::blockUntilReleased));
			try {
				return nested.get().get(5, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				return "nested failed";
			}
		});
		assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("nested failed");
		assertThat(assertTimedOut(nested.get())).hasMessageContaining("timed out after 50ms while it was running")
			.hasMessageNotContaining("inherited");
	}

	@Test
	void callWithLongerTimeoutInheritsTheEarlierDeadline() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofMillis(200)).call(() -> {
			nested.set(this.offloader.executor("jdbc").timeout(Duration.ofSeconds(30)).call(this::blockUntilReleased));
			return nested.get().get(5, TimeUnit.SECONDS);
		});
		assertTimedOut(outer);
		assertThat(assertTimedOut(nested.get()))
			.hasMessageContaining("inherited from the call to Offloader.call on executor 'io' (timeout 200ms)")
			// What was left of the 200 ms when the nested call was made.
			.hasMessageMatching("(?s).* timed out after \\d{1,3}ms, the time left of the deadline .*");
	}

	@Test
	void executorThatDoesNotInheritKeepsItsOwnTimeout() throws Exception {
		this.jdbc.setInheritDeadline(false);
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofMillis(100)).call(() -> {
			nested.set(this.offloader.executor("jdbc").call(() -> {
				Thread.sleep(300);
				return "finished";
			}));
			return nested.get().get(5, TimeUnit.SECONDS);
		});
		assertTimedOut(outer);
		assertThat(nested.get().get(5, TimeUnit.SECONDS)).isEqualTo("finished");
	}

	@Test
	void nestedCallAfterDeadlinePassedFailsWithoutRunning() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		AtomicBoolean ran = new AtomicBoolean();
		CountDownLatch made = new CountDownLatch(1);
		this.offloader.timeout(Duration.ofMillis(50)).call(() -> {
			try {
				this.release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				// Swallowed: the body goes on past its deadline.
			}
			nested.set(this.offloader.executor("jdbc").call(() -> String.valueOf(ran.getAndSet(true))));
			made.countDown();
			return "late";
		});
		assertThat(made.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(assertTimedOut(nested.get())).hasMessageContaining("before a worker took it (it will not run)");
		assertThat(ran).isFalse();
	}

	@Test
	void dependentStageOnTheWorkerInheritsNothing() throws Exception {
		CompletableFuture<String> gate = new CompletableFuture<>();
		CompletableFuture<String> chained = this.offloader.timeout(Duration.ofMillis(200))
			.call(() -> gate.get(5, TimeUnit.SECONDS))
			.thenCompose((value) -> this.offloader.executor("jdbc").call(() -> {
				Thread.sleep(300);
				return value + " then slow";
			}));
		gate.complete("fast");
		assertThat(chained.get(5, TimeUnit.SECONDS)).isEqualTo("fast then slow");
	}

	@Test
	void callFromThreadThatIsNotOffloadsInheritsNothing() throws Exception {
		CompletableFuture<String> outer = this.offloader.timeout(Duration.ofMillis(200))
			.call(() -> CompletableFuture.supplyAsync(() -> this.offloader.executor("jdbc").call(() -> {
				Thread.sleep(300);
				return "slow";
			})).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
		assertTimedOut(outer);
	}

	@Test
	void callNestedInScopeMemberInheritsScopeDeadline() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		OffloadScope scope = this.offloader.scope(Duration.ofMillis(600));
		Member<String> member = scope.call(() -> {
			nested.set(this.offloader.executor("jdbc").call(this::blockUntilReleased));
			return nested.get().get(5, TimeUnit.SECONDS);
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(TimeoutException.class)
			.withMessageStartingWith("Offload scope timed out after 600ms with 1 of 1 member(s) still running: #1");
		// Cancelled by the scope, or failed by its nested call timing out at the same
		// instant.
		assertThat(member.exception()).isInstanceOfAny(CancellationException.class, TimeoutException.class);
		// 600 ms leave the member time to start even on a loaded machine.
		assertThat(nested.get()).as("the nested call made by the member").isNotNull();
		assertThat(assertTimedOut(nested.get()))
			.hasMessageContaining("the time left of the deadline it inherited from an offload scope (deadline 600ms)");
	}

	@Test
	void memberForkedInScopeInheritsScopeDeadlineAsItsTimeoutForNestedCalls() throws Exception {
		OffloadScope scope = this.offloader.scope(Duration.ofMillis(150));
		Member<String> member = scope.fork(() -> this.offloader.executor("jdbc").call(() -> "ok"));
		assertThat(member.future()).isInstanceOf(ScopedCall.class);
		assertThat(((ScopedCall<?>) member.future()).getDeadline())
			.isSameAs(((DefaultOffloadScope) scope).getDeadlineInForce());
		scope.join().get(5, TimeUnit.SECONDS);
	}

	@Test
	void scopeOpenedInBodyWithTimeoutHasAtMostTimeLeft() throws Exception {
		AtomicReference<Throwable> scopeFailure = new AtomicReference<>();
		CountDownLatch failed = new CountDownLatch(1);
		this.offloader.timeout(Duration.ofMillis(200)).call(() -> {
			OffloadScope scope = this.offloader.scope(Duration.ofSeconds(10));
			assertThat(scope.getDeadline()).isLessThanOrEqualTo(Duration.ofMillis(200));
			scope.call("jdbc", this::blockUntilReleased);
			scope.join().whenComplete((done, ex) -> {
				scopeFailure.set(ex);
				failed.countDown();
			});
			return scope.join().get(5, TimeUnit.SECONDS);
		});
		assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(scopeFailure.get()).isInstanceOf(TimeoutException.class)
			.hasMessageStartingWith("Offload scope timed out after ")
			.hasMessageContaining("(the time left of the deadline it inherited from the call to Offloader.call on "
					+ "executor 'io' (timeout 200ms)) with 1 of 1 member(s) still running: #1 Offloader.call on "
					+ "executor 'jdbc'");
	}

	@Test
	void callWithoutDeadlineInForceIsPlainCall() throws Exception {
		AtomicReference<CompletableFuture<String>> nested = new AtomicReference<>();
		this.offloader.call(() -> nested.getAndSet(this.offloader.executor("jdbc").call(() -> "x")))
			.get(5, TimeUnit.SECONDS);
		assertThat(nested.get().getClass()).isEqualTo(OffloadCall.class);
		assertThat(this.offloader.call(() -> "x").getClass()).isEqualTo(OffloadCall.class);
	}

	private String blockUntilReleased() throws InterruptedException {
		this.release.await(5, TimeUnit.SECONDS);
		return "released";
	}

	private static TimeoutException assertTimedOut(CompletableFuture<?> future) {
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
		return (TimeoutException) ex.getCause();
	}

}
