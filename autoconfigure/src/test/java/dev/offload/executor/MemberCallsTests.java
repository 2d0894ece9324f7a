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
import java.util.concurrent.atomic.AtomicReference;

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
import dev.offload.Offloader;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MemberCalls}, the calls a scope member made: how long its call held a
 * thread, which members the scope cancels first, which are named as cancelled, the calls
 * left running by a member whose future completed without them, and which failures a
 * failed group suppresses.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemberCallsTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = executor("io", 2);

	private final PlatformOffloadExecutor one = executor("one", 1);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io, this.one), "io");

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
	void heldThreadGrowsWhileTheBodyRunsAndStopsWhenItEnds() throws Exception {
		BlockingBody body = BlockingBody.until(this.release);
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.call(body);
		assertThat(body.awaitStarted()).isTrue();
		assertThat(member.heldThread()).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(5));
		this.release.countDown();
		scope.join().get(5, TimeUnit.SECONDS);
		// Released once the body has ended and the worker let go of the call.
		scope.released().get(5, TimeUnit.SECONDS);
		Duration held = member.heldThread();
		assertThat(held).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(5));
		// Let the clock move on: the time held must not move with it.
		long before = System.nanoTime();
		assertThat(new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
		assertThat(member.heldThread()).isEqualTo(held);
	}

	/**
	 * The members whose call waits in a queue are cancelled before the running ones, so
	 * that the worker freed by an interrupt never takes one of them: seen from the
	 * running member's cancellation, on the cancelling thread, they are already done.
	 */
	@Test
	void cancelledScopeCancelsQueuedMembersBeforeRunningOnes() throws Exception {
		Offloader single = this.offloader.executor("one");
		BlockingBody running = BlockingBody.until(this.release);
		OffloadScope scope = this.offloader.scope();
		Member<String> first = scope.fork(() -> single.call(running));
		Member<String> queuedForked = scope.fork(() -> single.call(() -> "forked"));
		Member<String> queuedAdded = scope.add(single.call(() -> "added"));
		assertThat(running.awaitStarted()).isTrue();
		CompletableFuture<Boolean> queuedDoneFirst = new CompletableFuture<>();
		first.future()
			.whenComplete((value, ex) -> queuedDoneFirst
				.complete(queuedForked.future().isDone() && queuedAdded.future().isDone()));
		assertThat(scope.cancel()).isTrue();
		assertThat(queuedDoneFirst.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(running.awaitInterrupted()).isTrue();
		assertThat(queuedForked.state()).isEqualTo(Member.State.CANCELLED);
		assertThat(queuedAdded.state()).isEqualTo(Member.State.CANCELLED);
	}

	@Test
	void completedScopeCancelsTheCallsLeftRunningByAMemberThatCompletedWithoutThem() throws Exception {
		BlockingBody firstBody = BlockingBody.until(this.release);
		BlockingBody secondBody = BlockingBody.until(this.release);
		AtomicReference<CompletableFuture<String>> firstCall = new AtomicReference<>();
		AtomicReference<CompletableFuture<String>> secondCall = new AtomicReference<>();
		OffloadScope scope = this.offloader.scope();
		Member<String> member = scope.fork(() -> {
			firstCall.set(this.offloader.call(firstBody));
			secondCall.set(this.offloader.call(secondBody));
			return CompletableFuture.completedFuture("early");
		});
		assertThat(firstBody.awaitStarted()).isTrue();
		assertThat(secondBody.awaitStarted()).isTrue();
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(member.get()).isEqualTo("early");
		assertThat(firstBody.awaitInterrupted()).isTrue();
		assertThat(secondBody.awaitInterrupted()).isTrue();
		assertThat(firstCall.get()).isCompletedExceptionally();
		// The future's own exception: from JDK 23, get() throws a new
		// CancellationException("get") with it as the cause.
		assertThat(secondCall.get().handle((value, ex) -> ex).get(5, TimeUnit.SECONDS))
			.isInstanceOf(CancellationException.class)
			.hasMessageContaining("the scope had completed without it");
	}

	@Test
	void completedScopeCancelsTheOneCallLeftRunningByAMemberThatCompletedWithoutIt() throws Exception {
		BlockingBody body = BlockingBody.until(this.release);
		OffloadScope scope = this.offloader.scope();
		scope.fork(() -> {
			this.offloader.call(body);
			return CompletableFuture.completedFuture("early");
		});
		assertThat(body.awaitStarted()).isTrue();
		assertThat(scope.join().get(5, TimeUnit.SECONDS)).isNull();
		assertThat(body.awaitInterrupted()).isTrue();
	}

	@Test
	void cancelledScopeNamesOnlyTheMembersThatWereStillRunning(CapturedOutput output) throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(OffloadScope.class);
		Level level = logger.getLevel();
		logger.setLevel(Level.DEBUG);
		try {
			BlockingBody leftRunning = BlockingBody.until(this.release);
			BlockingBody running = BlockingBody.until(this.release);
			OffloadScope scope = this.offloader.scope();
			// Its future is complete, its call is not: cancelled, but not running.
			scope.fork(() -> {
				this.offloader.call(leftRunning);
				return CompletableFuture.completedFuture("early");
			});
			scope.call(running);
			assertThat(leftRunning.awaitStarted()).isTrue();
			assertThat(running.awaitStarted()).isTrue();
			// Its future is complete, its call waits in the queue (both threads are
			// busy): cancelled with the queued ones first, and not named either.
			scope.fork(() -> {
				this.offloader.call(() -> "queued");
				return CompletableFuture.completedFuture("early");
			});
			assertThat(scope.cancel()).isTrue();
			assertThat(leftRunning.awaitInterrupted()).isTrue();
			assertThat(output).containsOnlyOnce("cancelled 1 member(s): #2 Offloader.call on executor 'io'");
		}
		finally {
			logger.setLevel(level);
		}
	}

	/**
	 * A member's own failure is suppressed in the group's failure; the cancellation the
	 * scope gave a member is not. The own failure happens on the deciding thread, as the
	 * first member's cancellation runs its callbacks, before the scope reaches the third.
	 */
	@Test
	void failedGroupSuppressesOtherFailuresButNotItsOwnCancellations() {
		IllegalStateException boom = new IllegalStateException("boom");
		IllegalStateException other = new IllegalStateException("other");
		CompletableFuture<String> cancelled = new CompletableFuture<>();
		CompletableFuture<String> failing = new CompletableFuture<>();
		CompletableFuture<String> failingMeanwhile = new CompletableFuture<>();
		OffloadScope scope = this.offloader.scope();
		scope.add(cancelled);
		scope.add(failing);
		scope.add(failingMeanwhile);
		cancelled.whenComplete((value, ex) -> failingMeanwhile.completeExceptionally(other));
		CompletableFuture<Void> group = scope.join();
		failing.completeExceptionally(boom);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> group.get(5, TimeUnit.SECONDS))
			.withCause(boom);
		assertThat(cancelled).isCancelled();
		assertThat(boom.getSuppressed()).containsExactly(other);
	}

}
