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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.OffloadScope.Member.State;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ScopeFuture}: what {@code cancel}, {@code completeExceptionally} and
 * {@code complete} on a scope's future do and return before the group is decided, after
 * it completed, and in the window where its outcome is decided but its future not yet
 * complete. The members are plain futures added to the scope, so no thread is involved.
 */
class ScopeFutureTests {

	private final PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void cancelOfUndecidedGroupCancelsItAndItsMembersAndReturnsTrue() {
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.add(new CompletableFuture<>());
		CompletableFuture<Void> group = scope.join();
		assertThat(group.cancel(true)).isTrue();
		assertThat(group.isCancelled()).isTrue();
		assertThat(member.state()).isEqualTo(State.CANCELLED);
	}

	@Test
	void cancelOfCompletedGroupReturnsFalseAndChangesNothing() throws Exception {
		OffloadScope scope = this.offloader.scope();
		scope.add(CompletableFuture.completedFuture("done"));
		CompletableFuture<Void> group = scope.join();
		assertThat(group.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(group.cancel(true)).isFalse();
		assertThat(group.isCancelled()).isFalse();
	}

	@Test
	void completeExceptionallyOfUndecidedGroupCancelsMembersAndFailsGroupWithIt() {
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.add(new CompletableFuture<>());
		CompletableFuture<Void> group = scope.join();
		IllegalStateException mine = new IllegalStateException("mine");
		assertThat(group.completeExceptionally(mine)).isTrue();
		assertThat(member.state()).isEqualTo(State.CANCELLED);
		assertThat(member.exception()).hasMessageContaining("its future was completed with " + mine);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCause(mine);
	}

	@Test
	void completeExceptionallyOfCompletedGroupReturnsFalse() throws Exception {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<Void> group = scope.join();
		assertThat(group.get(5, TimeUnit.SECONDS)).isNull();
		assertThat(group.completeExceptionally(new IllegalStateException("late"))).isFalse();
		assertThat(group.isCompletedExceptionally()).isFalse();
	}

	@Test
	void completeOfUndecidedJoinedFutureCancelsMembersAndCompletesItWithTheValue() throws Exception {
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.add(new CompletableFuture<>());
		CompletableFuture<String> joined = scope.join(() -> "computed");
		assertThat(joined.complete("mine")).isTrue();
		assertThat(joined.get(5, TimeUnit.SECONDS)).isEqualTo("mine");
		assertThat(member.state()).isEqualTo(State.CANCELLED);
		assertThat(scope.join().isCancelled()).isTrue();
		assertThat(joined.complete("again")).isFalse();
		assertThat(joined.get(5, TimeUnit.SECONDS)).isEqualTo("mine");
	}

	@Test
	void completeOfCompletedJoinedFutureReturnsFalseAndKeepsTheResult() throws Exception {
		OffloadScope scope = this.offloader.scope();
		scope.add(CompletableFuture.completedFuture("done"));
		CompletableFuture<String> joined = scope.join(() -> "computed");
		assertThat(joined.get(5, TimeUnit.SECONDS)).isEqualTo("computed");
		assertThat(joined.complete("mine")).isFalse();
		assertThat(joined.get(5, TimeUnit.SECONDS)).isEqualTo("computed");
	}

	/**
	 * A member cancelled because another failed runs its callbacks on the deciding
	 * thread, after the outcome is decided and before the group's future completes:
	 * whatever a callback does to the group's future then loses to the decided outcome.
	 */
	@Test
	void callerLosesToDecidedOutcomeBeforeGroupFutureCompletes() {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> cancelled = new CompletableFuture<>();
		CompletableFuture<String> failing = new CompletableFuture<>();
		scope.add(cancelled);
		scope.add(failing);
		CompletableFuture<Void> group = scope.join();
		CompletableFuture<String> joined = scope.join(() -> "computed");
		List<Boolean> returned = new ArrayList<>();
		List<Boolean> groupDoneMeanwhile = new ArrayList<>();
		cancelled.whenComplete((value, ex) -> {
			groupDoneMeanwhile.add(group.isDone());
			returned.add(group.cancel(true));
			returned.add(group.completeExceptionally(new IllegalStateException("caller")));
			returned.add(group.complete(null));
			returned.add(joined.complete("caller"));
		});
		IllegalStateException boom = new IllegalStateException("boom");
		failing.completeExceptionally(boom);
		assertThat(groupDoneMeanwhile).containsExactly(false);
		assertThat(returned).containsExactly(false, false, false, false);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCause(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> joined.get(5, TimeUnit.SECONDS))
			.withCause(boom);
	}

	@Test
	void cancelOfGroupCompletedByCancelReturnsTrueAsCompletableFutureDoes() {
		OffloadScope scope = this.offloader.scope();
		scope.add(new CompletableFuture<>());
		CompletableFuture<Void> group = scope.join();
		assertThat(scope.cancel()).isTrue();
		assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS));
		assertThat(group.cancel(false)).isTrue();
	}

}
