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
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.OffloadScope.Policy;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ScopeCancellation}: a group never completes before a member whose
 * cancel lost to a completion in progress on another thread. The seam is the call
 * listener, which runs after a call's outcome is claimed and before its future completes:
 * it holds the member's completion until the group is done, or for {@link #HOLD_MILLIS}.
 * A group that did not wait for the member completes within that time, while the member
 * is still incomplete; one that waits completes only after the hold.
 */
class ScopeCancellationTests {

	private static final long HOLD_MILLIS = 500;

	private final CountDownLatch go = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 2, 2, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	private final HoldingListener listener = new HoldingListener();

	@AfterEach
	void close() {
		this.go.countDown();
		this.registry.close();
	}

	@Test
	void failedGroupWaitsForAMemberWhoseCompletionIsInProgress() throws Exception {
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<String> failing = new CompletableFuture<>();
		CompletableFuture<Void> group = raceCompletion(
				new DefaultOffloadScope(this.offloader, Policy.FAIL_FAST, null, null), (scope) -> scope.add(failing),
				(scope) -> failing.completeExceptionally(boom));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCause(boom);
	}

	@Test
	void cancelledGroupWaitsForAMemberWhoseCompletionIsInProgress() throws Exception {
		CompletableFuture<Void> group = raceCompletion(
				new DefaultOffloadScope(this.offloader, Policy.FAIL_FAST, null, null),
				(scope) -> scope.add(new CompletableFuture<String>()), OffloadScope::cancel);
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS));
	}

	@Test
	void timedOutGroupWaitsForAMemberWhoseCompletionIsInProgress() throws Exception {
		// No timer: the deadline is checked at join, on this thread.
		DefaultOffloadScope lazy = new DefaultOffloadScope(this.offloader, Policy.FAIL_FAST, Duration.ofMillis(200),
				null);
		CompletableFuture<Void> group = raceCompletion(lazy, (scope) -> scope.add(new CompletableFuture<String>()),
				(scope) -> {
					long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(201);
					while (System.nanoTime() - end < 0) {
						Thread.onSpinWait();
					}
					scope.join();
				});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

	/**
	 * Forks a member whose call completes under the holding listener, adds the others,
	 * and once the member's outcome is claimed, ends the group by {@code decide}, on this
	 * thread; checks that the member was complete when the group completed.
	 */
	private CompletableFuture<Void> raceCompletion(OffloadScope scope, Consumer<OffloadScope> others,
			Consumer<OffloadScope> decide) throws Exception {
		this.registry.setCallListener(this.listener);
		Member<String> holding = scope.call(() -> {
			Latches.awaitOrFail(this.go, "the test's go");
			return "held";
		});
		others.accept(scope);
		CompletableFuture<Void> group = scope.join();
		this.listener.group = group;
		CompletableFuture<Boolean> memberDoneFirst = new CompletableFuture<>();
		group.whenComplete((done, ex) -> memberDoneFirst.complete(holding.future().isDone()));
		this.go.countDown();
		Latches.awaitOrFail(this.listener.entered, "the member's completion");
		decide.accept(scope);
		assertThat(memberDoneFirst.get(5, TimeUnit.SECONDS)).as("member complete before the group").isTrue();
		return group;
	}

	private static final class HoldingListener implements OffloadCallListener {

		private final CountDownLatch entered = new CountDownLatch(1);

		private final AtomicBoolean armed = new AtomicBoolean(true);

		private volatile CompletableFuture<?> group = new CompletableFuture<>();

		@Override
		public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
			if (outcome == OffloadOutcome.SUCCESS && this.armed.compareAndSet(true, false)) {
				this.entered.countDown();
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
				while (!this.group.isDone() && System.nanoTime() - end < 0) {
					Thread.onSpinWait();
				}
			}
		}

	}

}
