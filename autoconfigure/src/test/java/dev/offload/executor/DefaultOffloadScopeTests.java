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
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.OffloadScope.Member.State;
import dev.offload.OffloadScope.Policy;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DefaultOffloadScope}: results, failing fast, the deadline, cancelling,
 * late members and collecting every outcome.
 */
@ExtendWith(OutputCaptureExtension.class)
class DefaultOffloadScopeTests {

	/** How soon a failure must complete the group and interrupt the other bodies. */
	private static final long BOUND_MILLIS = 500;

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = executor("io", 3);

	private final PlatformOffloadExecutor jdbc = executor("jdbc", 2);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io, this.jdbc), "io");

	private final DefaultOffloader offloader = new DefaultOffloader(this.registry);

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	private static PlatformOffloadExecutor executor(String name, int threads) {
		return new PlatformOffloadExecutor(name, threads, threads, 10, Duration.ofSeconds(60), "offload-" + name + "-",
				null, Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	@Test
	void resultsAreTypedAndInOrder() throws Exception {
		OffloadScope scope = this.offloader.scope();
		Member<Integer> number = scope.call(() -> 42);
		Member<String> text = scope.call("jdbc", () -> Thread.currentThread().getName());
		Member<List<String>> list = scope.fork(() -> this.offloader.call(() -> List.of("a", "b")));
		Member<Boolean> added = scope.add(CompletableFuture.completedFuture(true));
		String joined = scope.join(() -> number.get() + " " + text.get() + " " + list.get() + " " + added.get())
			.get(5, TimeUnit.SECONDS);
		assertThat(joined).matches("42 offload-jdbc-\\d+ \\[a, b\\] true");
		assertThat(scope.members()).containsExactly(number, text, list, added);
		assertThat(scope.members()).extracting(Member::state).containsOnly(State.SUCCEEDED);
		assertThat(number.name()).isEqualTo("#1 Offloader.call on executor 'io'");
		assertThat(text.name()).isEqualTo("#2 Offloader.call on executor 'jdbc'");
		assertThat(number.exception()).isNull();
		assertThat(scope.released()).succeedsWithin(Duration.ofSeconds(5));
	}

	@Test
	void memberOfAScopeWithoutDeadlineTimesOutAfterItsOwnTimeout() throws Exception {
		OffloadScope scope = this.offloader.scope(Policy.COLLECT_ALL, null);
		Member<String> member = scope.fork(() -> this.offloader.timeout(Duration.ofMillis(50)).call(() -> {
			this.release.await(5, TimeUnit.SECONDS);
			return "released";
		}));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> member.future().get(Latches.SECONDS, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class)
			.havingCause()
			.withMessageContaining("timed out after 50ms while it was running");
	}

	@Test
	void emptyScopeCompletesAtJoin() throws Exception {
		OffloadScope scope = this.offloader.scope(Duration.ofSeconds(5));
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
	}

	@Test
	void firstFailureCompletesGroupAtOnceInterruptsRunningAndDropsQueued() throws Exception {
		CountDownLatch running = new CountDownLatch(2);
		CountDownLatch interrupted = new CountDownLatch(2);
		AtomicLong interruptedAt = new AtomicLong();
		AtomicBoolean queuedRan = new AtomicBoolean();
		IllegalStateException boom = new IllegalStateException("boom");
		AtomicLong failedAt = new AtomicLong();
		CountDownLatch allForked = new CountDownLatch(1);
		OffloadScope scope = this.offloader.scope();
		Member<String> first = scope.call(() -> blockUntilInterrupted(running, interrupted, interruptedAt));
		Member<String> second = scope.call(() -> blockUntilInterrupted(running, interrupted, interruptedAt));
		Member<String> failing = scope.call(() -> {
			running.await(5, TimeUnit.SECONDS);
			allForked.await(5, TimeUnit.SECONDS);
			failedAt.set(System.nanoTime());
			throw boom;
		});
		// The io pool has three threads: this one waits in the queue.
		Member<String> queued = scope.call(() -> {
			queuedRan.set(true);
			return "ran";
		});
		CompletableFuture<Void> group = scope.join();
		allForked.countDown();
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.actual();
		long completedAt = System.nanoTime();
		assertThat(ex.getCause()).isSameAs(boom);
		assertThat(TimeUnit.NANOSECONDS.toMillis(completedAt - failedAt.get())).isLessThan(BOUND_MILLIS);
		assertThat(interrupted.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).as("both bodies interrupted").isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(interruptedAt.get() - failedAt.get())).isLessThan(BOUND_MILLIS);
		assertThat(failing.state()).isEqualTo(State.FAILED);
		assertThat(failing.exception()).isSameAs(boom);
		for (Member<String> member : List.of(first, second, queued)) {
			assertThat(member.state()).isEqualTo(State.CANCELLED);
			assertThat(member.exception()).isInstanceOf(CancellationException.class)
				.hasMessageContaining("member #3 Offloader.call on executor 'io' failed")
				.hasMessageContaining("boom");
			assertThat(member.future()).isCancelled();
		}
		assertThatIllegalStateException().isThrownBy(first::get).withMessageContaining("is cancelled");
		assertThat(scope.released()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(queuedRan).as("the queued member ran").isFalse();
		assertThat(queued.heldThread()).isZero();
		assertThat(first.heldThread()).isPositive().isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void failedGroupLogsOneDebugLineNamingTheCause(CapturedOutput output) {
		Logger logger = (Logger) LoggerFactory.getLogger(OffloadScope.class);
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			OffloadScope scope = this.offloader.scope();
			scope.call(this::blockUntilReleased);
			scope.call(() -> {
				throw new IllegalStateException("boom");
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS));
			assertThat(output).containsOnlyOnce("Offload scope failed: member #2 Offloader.call on executor 'io' "
					+ "failed with java.lang.IllegalStateException: boom; cancelled 1 member(s): #1 Offloader.call on "
					+ "executor 'io'");
		}
		finally {
			logger.setLevel(level);
		}
	}

	@Test
	void failuresOfOtherMembersAreSuppressed() throws Exception {
		IllegalStateException one = new IllegalStateException("one");
		IllegalStateException two = new IllegalStateException("two");
		OffloadScope scope = this.offloader.scope();
		CompletableFuture<String> first = new CompletableFuture<>();
		// Fails on its own at the very moment the group cancels it.
		CompletableFuture<String> second = new CompletableFuture<>() {

			@Override
			public boolean completeExceptionally(Throwable ex) {
				return super.completeExceptionally(two);
			}

		};
		scope.add(first);
		scope.add(second);
		CompletableFuture<Void> group = scope.join();
		first.completeExceptionally(one);
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isSameAs(one);
		assertThat(one.getSuppressed()).containsExactly(two);
	}

	@Test
	void deadlineCancelsUnfinishedMembersAndFailsGroupNamingThem() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		OffloadScope scope = this.offloader.scope(Duration.ofMillis(100));
		Member<String> fast = scope.call(() -> "fast");
		Member<String> slow = scope.call("jdbc", () -> blockUntilInterrupted(running, interrupted, new AtomicLong()));
		CompletableFuture<Void> group = scope.join();
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class)
			.hasMessage("Offload scope timed out after 100ms with 1 of 2 member(s) still running: "
					+ "#2 Offloader.call on executor 'jdbc'");
		assertThat(interrupted.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(fast.get()).isEqualTo("fast");
		assertThat(slow.state()).isEqualTo(State.CANCELLED);
		assertThat(slow.exception()).hasMessage("Cancelled by its offload scope: its deadline of 100ms elapsed");
		assertThat(scope.getDeadline()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void deadlineBeforeJoinFailsGroup() {
		OffloadScope scope = this.offloader.scope(Duration.ofMillis(50));
		Member<String> slow = scope.call(this::blockUntilReleased);
		assertThat(scope.released()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(slow.state()).isEqualTo(State.CANCELLED);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void cancellingGroupFutureCancelsEveryMember() throws Exception {
		CountDownLatch running = new CountDownLatch(2);
		CountDownLatch interrupted = new CountDownLatch(2);
		OffloadScope scope = this.offloader.scope();
		Member<String> first = scope.call(() -> blockUntilInterrupted(running, interrupted, new AtomicLong()));
		Member<String> second = scope.call("jdbc", () -> blockUntilInterrupted(running, interrupted, new AtomicLong()));
		CompletableFuture<String> result = scope.join(() -> first.get() + second.get());
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(result.cancel(true)).isTrue();
		assertThat(result).isCancelled();
		assertThat(scope.join()).isCancelled();
		assertThat(interrupted.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(first.exception()).hasMessage("Cancelled by its offload scope: the scope was cancelled");
		assertThat(second.state()).isEqualTo(State.CANCELLED);
		assertThat(scope.cancel()).isFalse();
	}

	@Test
	void orTimeoutOnGroupFutureCancelsMembers() throws Exception {
		OffloadScope scope = this.offloader.scope();
		Member<String> slow = scope.call(this::blockUntilReleased);
		CompletableFuture<Void> group = scope.join().orTimeout(50, TimeUnit.MILLISECONDS);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		assertThat(slow.state()).isEqualTo(State.CANCELLED);
	}

	@Test
	void closeCancelsWhatIsStillRunning() {
		Member<String> slow;
		try (OffloadScope scope = this.offloader.scope()) {
			slow = scope.call(this::blockUntilReleased);
		}
		assertThat(slow.state()).isEqualTo(State.CANCELLED);
	}

	@Test
	void awaitThrowsFirstFailure() {
		OffloadScope scope = this.offloader.scope();
		scope.call(() -> {
			throw new IllegalStateException("boom");
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(scope::await)
			.withCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void memberForkedAfterFailureIsCancelledAndNeverRuns() throws Exception {
		OffloadScope scope = this.offloader.scope();
		scope.call(() -> {
			throw new IllegalStateException("boom");
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS));
		AtomicBoolean forked = new AtomicBoolean();
		Member<String> late = scope.fork(() -> {
			forked.set(true);
			return this.offloader.call(() -> "late");
		});
		assertThat(forked).isFalse();
		assertThat(late.state()).isEqualTo(State.CANCELLED);
		assertThat(late.exception())
			.hasMessage("Not run: added to an offload scope that had already failed; nothing may start after that");
	}

	@Test
	void callAddedAfterGroupFinishedIsCancelledAtOnce() throws Exception {
		OffloadScope scope = this.offloader.scope();
		scope.call(() -> "done");
		scope.join().get(5, TimeUnit.SECONDS);
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<String> call = this.offloader.call(() -> {
			ran.set(true);
			return blockUntilReleased();
		});
		Member<String> late = scope.add(call);
		assertThat(call).isCancelled();
		assertThat(late.exception()).hasMessageContaining("had already completed");
		assertThat(scope.members()).hasSize(2);
	}

	@Test
	void collectAllKeepsEveryOutcome() throws Exception {
		OffloadScope scope = this.offloader.scope(Policy.COLLECT_ALL, Duration.ofSeconds(5));
		Member<String> ok = scope.call(() -> "ok");
		Member<String> failing = scope.call(() -> {
			throw new IllegalStateException("boom");
		});
		Member<String> other = scope.call("jdbc", () -> {
			Thread.sleep(50);
			return "other";
		});
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(ok.get()).isEqualTo("ok");
		assertThat(other.get()).isEqualTo("other");
		assertThat(failing.state()).isEqualTo(State.FAILED);
		assertThat(failing.exception()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
		assertThat(scope.getPolicy()).isEqualTo(Policy.COLLECT_ALL);
	}

	@Test
	void collectAllCompletesAtDeadlineWithWhatIsReady() throws Exception {
		OffloadScope scope = this.offloader.scope(Policy.COLLECT_ALL, Duration.ofMillis(100));
		Member<String> ready = scope.call(() -> "ready");
		Member<String> slow = scope.call(this::blockUntilReleased);
		assertThat(scope.join(() -> ready.get() + " " + slow.state()).get(5, TimeUnit.SECONDS))
			.isEqualTo("ready CANCELLED");
	}

	@Test
	void supplierThatThrowsFailsItsMember() {
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.fork(() -> {
			throw new IllegalArgumentException("bad");
		});
		assertThat(member.state()).isEqualTo(State.FAILED);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void callsMadeInsideForkAreCancelledWithTheGroup() throws Exception {
		CountDownLatch running = new CountDownLatch(2);
		CountDownLatch interrupted = new CountDownLatch(2);
		OffloadScope scope = this.offloader.scope();
		// The member's future is derived; the group still reaches both calls behind it.
		Member<String> both = scope
			.fork(() -> this.offloader.call(() -> blockUntilInterrupted(running, interrupted, new AtomicLong()))
				.thenCombine(
						this.offloader.executor("jdbc")
							.call(() -> blockUntilInterrupted(running, interrupted, new AtomicLong())),
						String::concat));
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		scope.cancel();
		assertThat(interrupted.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
		assertThat(both.state()).isEqualTo(State.CANCELLED);
		assertThat(scope.released()).succeedsWithin(Duration.ofSeconds(5));
	}

	@Test
	void unknownExecutorIsRejectedAtOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.scope().call("missing", () -> "x"))
			.withMessageContaining("'missing'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.offloader.scope(Duration.ZERO));
	}

	@Test
	void callerRunsScopeRunsMembersOnCaller() throws Exception {
		OffloadScope scope = new CallerRunsOffloader().scope(Duration.ofSeconds(5));
		Member<String> member = scope.call("any", () -> Thread.currentThread().getName());
		assertThat(scope.join(member::get).get(5, TimeUnit.SECONDS)).isEqualTo(Thread.currentThread().getName());
	}

	private String blockUntilReleased() throws InterruptedException {
		this.release.await(5, TimeUnit.SECONDS);
		return "released";
	}

	private static String blockUntilInterrupted(CountDownLatch running, CountDownLatch interrupted,
			AtomicLong interruptedAt) {
		running.countDown();
		try {
			new CountDownLatch(1).await(5, TimeUnit.SECONDS);
			return "not interrupted";
		}
		catch (InterruptedException ex) {
			interruptedAt.set(System.nanoTime());
			interrupted.countDown();
			return "interrupted";
		}
	}

}
