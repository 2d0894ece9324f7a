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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DefaultOffloadScope}'s arguments and for {@code join(result)} called
 * more than once, or after the group completed; the names and exceptions of added
 * members.
 */
class DefaultOffloadScopeJoinTests {

	private final PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void argumentsAreRequired() {
		OffloadScope scope = this.offloader.scope();
		assertThatIllegalArgumentException().isThrownBy(() -> scope.fork(null))
			.withMessageContaining("'call' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> scope.add(null))
			.withMessageContaining("'call' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> scope.call(null))
			.withMessageContaining("'task' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> scope.call("io", null))
			.withMessageContaining("'task' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> scope.join(null))
			.withMessageContaining("'result' must not be null");
		assertThat(scope.members()).isEmpty();
	}

	@Test
	void everyJoinWithResultCompletes() throws Exception {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		CompletableFuture<String> first = scope.join(() -> "first");
		CompletableFuture<String> second = scope.join(() -> "second");
		future.complete("done");
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
	}

	@Test
	void everyJoinWithResultFailsWithTheGroup() {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		CompletableFuture<String> first = scope.join(() -> "first");
		CompletableFuture<String> second = scope.join(() -> "second");
		IllegalStateException boom = new IllegalStateException("boom");
		future.completeExceptionally(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> first.get(5, TimeUnit.SECONDS))
			.withCause(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> second.get(5, TimeUnit.SECONDS))
			.withCause(boom);
	}

	@Test
	void joinWithResultFailsWithWhatItsSupplierThrows() {
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> future = new CompletableFuture<>();
		scope.add(future);
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<String> first = scope.join(() -> {
			throw boom;
		});
		CompletableFuture<String> second = scope.join(() -> {
			throw boom;
		});
		future.complete("done");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> first.get(5, TimeUnit.SECONDS))
			.withCause(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> second.get(5, TimeUnit.SECONDS))
			.withCause(boom);
	}

	@Test
	void joinWithResultAfterTheGroupCompletedCompletesAtOnce() throws Exception {
		OffloadScope scope = this.offloader.scope();
		scope.add(CompletableFuture.completedFuture("done"));
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(scope.join(() -> "after").get(5, TimeUnit.SECONDS)).isEqualTo("after");
	}

	@Test
	void moreMembersThanTheFirstArrayHoldsAreKeptInOrder() throws Exception {
		OffloadScope scope = this.offloader.scope();
		List<OffloadScope.Member<Integer>> added = new ArrayList<>();
		for (int i = 1; i <= 9; i++) {
			added.add(scope.add(CompletableFuture.completedFuture(i)));
		}
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(scope.members()).containsExactlyElementsOf(added);
		assertThat(added).extracting(OffloadScope.Member::get).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
		assertThat(added.get(8).name()).startsWith("#9 ");
	}

	@Test
	void addedMembersAreNamedByTheirCallOrFutureType() throws Exception {
		OffloadScope scope = this.offloader.scope();
		OffloadScope.Member<String> call = scope.add(this.offloader.call(() -> "called"));
		OffloadScope.Member<String> plain = scope.add(CompletableFuture.completedFuture("plain"));
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(call.name()).isEqualTo("#1 Offloader.call on executor 'io'");
		assertThat(plain.name()).isEqualTo("#2 (a CompletableFuture)");
		assertThat(plain).hasToString("Member[#2 (a CompletableFuture), SUCCEEDED]");
	}

	@Test
	void memberExceptionIsTheCauseOfADependentStagesCompletionException() {
		OffloadScope scope = this.offloader.scope(OffloadScope.Policy.COLLECT_ALL, null);
		IllegalStateException boom = new IllegalStateException("boom");
		CompletableFuture<String> source = new CompletableFuture<>();
		OffloadScope.Member<String> dependent = scope.add(source.thenApply((value) -> {
			throw boom;
		}));
		source.complete("value");
		assertThat(dependent.exception()).isSameAs(boom);
		assertThat(dependent.state()).isEqualTo(OffloadScope.Member.State.FAILED);
	}

	@Test
	void cancelReturnsWhetherItCancelledTheGroup() {
		OffloadScope scope = this.offloader.scope();
		scope.add(new CompletableFuture<String>());
		assertThat(scope.cancel()).isTrue();
		assertThat(scope.cancel()).isFalse();
	}

}
