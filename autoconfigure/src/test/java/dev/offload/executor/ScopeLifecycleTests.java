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
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.OffloadScope.Member.State;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ScopeLifecycle}, how a scope's outcome is decided: the deadline
 * checked lazily where there is no timer (the scope of {@link CallerRunsOffloader}), a
 * member's failure as the deadline elapses, and the {@code released()} future.
 */
class ScopeLifecycleTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 2, 2, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	private final CallerRunsOffloader callerRuns = new CallerRunsOffloader();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	/** Spins until the scope's deadline has passed (bounded by its length plus 5 s). */
	private static void passDeadline(OffloadScope scope) {
		Duration deadline = scope.getDeadline();
		assertThat(deadline).isNotNull();
		long end = System.nanoTime() + deadline.toNanos() + TimeUnit.MILLISECONDS.toNanos(1);
		long bound = end + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() - end < 0) {
			assertThat(System.nanoTime() - bound).isNegative();
			Thread.onSpinWait();
		}
	}

	@Test
	void policyIsRequired() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DefaultOffloadScope(this.callerRuns, null, null, null))
			.withMessageContaining("'policy' must not be null");
	}

	@Test
	void lazyDeadlineTimesOutAJoinWithoutMembers() {
		OffloadScope scope = this.callerRuns.scope(Duration.ofMillis(2));
		passDeadline(scope);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void lazyDeadlineNotYetPassedLetsTheGroupComplete() throws Exception {
		OffloadScope scope = this.callerRuns.scope(Duration.ofSeconds(30));
		Member<String> member = scope.add(CompletableFuture.completedFuture("done"));
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(member.get()).isEqualTo("done");
	}

	@Test
	void memberForkedAfterLazyDeadlineNeverRuns() {
		OffloadScope scope = this.callerRuns.scope(Duration.ofMillis(2));
		passDeadline(scope);
		AtomicBoolean forked = new AtomicBoolean();
		Member<String> late = scope.fork(() -> {
			forked.set(true);
			return CompletableFuture.completedFuture("ran");
		});
		assertThat(forked).isFalse();
		assertThat(late.state()).isEqualTo(State.CANCELLED);
		assertThat(late.exception()).hasMessageContaining("already timed out");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void scopeOpenedOnceItsInheritedDeadlineHasPassedIsTimedOutAtOnce() throws Exception {
		OffloadScope outer = this.callerRuns.scope(Duration.ofMillis(100));
		CompletableFuture<OffloadScope> opened = new CompletableFuture<>();
		outer.fork(() -> {
			passDeadline(outer);
			// Opened while a member of the outer scope is forked: it inherits its
			// deadline.
			opened.complete(this.offloader.scope());
			return CompletableFuture.completedFuture("forked");
		});
		OffloadScope inner = opened.get(5, TimeUnit.SECONDS);
		assertThat(inner.cancel()).as("cancelled, although timed out").isFalse();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> inner.join().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class)
			.havingCause()
			.withMessageContaining("inherited from an offload scope");
	}

	@Test
	void memberFailingOnceTheDeadlineHasPassedTimesTheGroupOut() {
		OffloadScope scope = this.callerRuns.scope(Duration.ofMillis(100));
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		CompletableFuture<Void> group = scope.join();
		passDeadline(scope);
		future.completeExceptionally(new IllegalStateException("boom"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void memberFailingBeforeTheDeadlineFailsTheGroup() {
		OffloadScope scope = this.offloader.scope(Duration.ofSeconds(30));
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		CompletableFuture<Void> group = scope.join();
		IllegalStateException boom = new IllegalStateException("boom");
		future.completeExceptionally(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCause(boom);
	}

	@Test
	void releasedWaitsForTheDecisionAndCompletesWithoutCalls() throws Exception {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		CompletableFuture<Void> released = scope.released();
		CompletableFuture<Void> group = scope.join();
		assertThat(released).isNotDone();
		future.complete("done");
		assertThat(group.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(released).succeedsWithin(Duration.ofSeconds(5));
	}

}
