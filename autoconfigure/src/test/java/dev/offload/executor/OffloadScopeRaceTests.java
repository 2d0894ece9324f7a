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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.OffloadScope.Member.State;
import dev.offload.OffloadScope.Policy;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A racing harness for {@link DefaultOffloadScope}: in every iteration a member's
 * success, another member's failure, the group's deadline and a cancel of the group's
 * future from another thread race each other. Whatever wins, the group completes once and
 * coherently, every member's future is complete when the group's is, every call is
 * counted exactly once, no thread stays held and no call stays in flight.
 */
class OffloadScopeRaceTests {

	private static final int ITERATIONS = 2_000;

	private final PlatformOffloadExecutor pool = new PlatformOffloadExecutor("race", 3, 3, 100, Duration.ofSeconds(60),
			"offload-race-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.pool), "race");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	private final ExecutorService canceller = Executors.newSingleThreadExecutor();

	private final Counting counting = new Counting();

	@AfterEach
	void close() {
		this.canceller.shutdownNow();
		this.registry.close();
	}

	@Test
	void failureCompletionDeadlineAndCancelRaceToOneCoherentOutcome() throws Exception {
		this.registry.setCallListener(this.counting);
		AtomicInteger[] outcomes = { new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
				new AtomicInteger() };
		long calls = 0;
		AtomicInteger ranAfterGroup = new AtomicInteger();
		for (int i = 0; i < ITERATIONS; i++) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			Policy policy = random.nextInt(4) == 0 ? Policy.COLLECT_ALL : Policy.FAIL_FAST;
			OffloadScope scope = this.offloader.scope(policy, Duration.ofNanos(random.nextLong(50_000, 2_000_000)));
			IllegalStateException boom = new IllegalStateException("boom " + i);
			int failSpins = random.nextInt(20_000);
			int okSpins = random.nextInt(20_000);
			int cancelSpins = random.nextInt(40_000);
			Member<String> ok = scope.call(() -> spin(okSpins, "ok"));
			Member<String> failing = scope.call(() -> {
				spin(failSpins, "");
				throw boom;
			});
			Member<String> slow = scope.call(() -> {
				Thread.sleep(random.nextInt(3));
				return "slow";
			});
			// Three threads: this one often waits in the queue, and no worker may take it
			// from there once the group has completed. A worker that took it before the
			// cancel reached it may get to its first line after the group completed, but
			// then it has been interrupted.
			AtomicReference<CompletableFuture<Void>> groupRef = new AtomicReference<>();
			Member<String> queued = scope.call(() -> {
				CompletableFuture<Void> completed = groupRef.get();
				if (completed != null && completed.isDone() && !Thread.currentThread().isInterrupted()) {
					ranAfterGroup.incrementAndGet();
				}
				return "queued";
			});
			CompletableFuture<Void> group = scope.join();
			groupRef.set(group);
			boolean cancel = random.nextBoolean();
			if (cancel) {
				this.canceller.execute(() -> {
					spin(cancelSpins, "");
					group.cancel(true);
				});
			}
			int outcome = awaitOutcome(group, boom, policy);
			outcomes[outcome].incrementAndGet();
			for (Member<String> member : List.of(ok, failing, slow, queued)) {
				assertThat(member.future()).as("member future complete when the group is").isDone();
				// A member added once the group had completed made no call.
				calls += (member.future() instanceof OffloadCall) ? 1 : 0;
			}
			if (outcome == 0 && policy == Policy.FAIL_FAST) {
				fail("A group whose member failed succeeded");
			}
			if (outcome == 1) {
				assertThat(failing.state()).isEqualTo(State.FAILED);
				assertThat(ok.state()).isIn(State.SUCCEEDED, State.CANCELLED);
			}
			if (policy == Policy.COLLECT_ALL && outcome == 0) {
				assertThat(failing.state()).isIn(State.FAILED, State.CANCELLED);
			}
			assertThat(scope.released()).as("threads released").succeedsWithin(Duration.ofSeconds(5));
		}
		// Every call was counted exactly once, and none is left in flight.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.pool.getInFlightCount() > 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.pool.getInFlightCount()).isZero();
		assertThat(ranAfterGroup).as("members taken from the queue after the group completed").hasValue(0);
		assertThat(this.counting.completed.sum()).isEqualTo(calls);
		assertThat(calls).isGreaterThan(ITERATIONS);
		assertThat(outcomes[0].get() + outcomes[1].get() + outcomes[2].get() + outcomes[3].get()).isEqualTo(ITERATIONS);
		// Each contender won some of the races.
		assertThat(outcomes).as("success, failure, deadline, cancel")
			.allSatisfy((won) -> assertThat(won).hasPositiveValue());
	}

	/**
	 * Returns 0 for success, 1 for the member's failure, 2 for the deadline, 3 for a
	 * cancel.
	 */
	private static int awaitOutcome(CompletableFuture<Void> group, IllegalStateException boom, Policy policy)
			throws Exception {
		try {
			group.get(5, TimeUnit.SECONDS);
			return 0;
		}
		catch (CancellationException ex) {
			return 3;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause == boom) {
				assertThat(policy).isEqualTo(Policy.FAIL_FAST);
				return 1;
			}
			assertThat(cause).isInstanceOf(TimeoutException.class).hasMessageStartingWith("Offload scope timed out");
			return 2;
		}
	}

	private static String spin(int spins, String value) {
		for (int i = 0; i < spins; i++) {
			Thread.onSpinWait();
		}
		return value;
	}

	private static final class Counting implements OffloadCallListener {

		private final LongAdder completed = new LongAdder();

		@Override
		public void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
			this.completed.increment();
		}

	}

}
