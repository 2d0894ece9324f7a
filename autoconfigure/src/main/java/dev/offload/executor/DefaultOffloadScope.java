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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.Offloader;

/**
 * The {@link OffloadScope} of the {@link Offloader}s in this package: a group of members
 * whose outcome is decided exactly once, under one lock, by whichever comes first: the
 * last member's success after {@code join}, a member's failure (when failing fast), the
 * deadline, or a cancel. The thread that decides then cancels the members that are still
 * running and completes the group's future, outside the lock.
 * <p>
 * The deadline is a timer on the registry's timeout thread, which only triggers: the
 * group is completed on a timeout-completion thread, like a timed-out call. Without a
 * timer (the {@code Offloader} of {@code offload.enabled=false}), the deadline is checked
 * whenever a member is added and at {@code join}.
 * <p>
 * One DEBUG line (logger {@code dev.offload.OffloadScope}) per group that did not succeed
 * says why, and which members it cancelled.
 */
final class DefaultOffloadScope implements OffloadScope, Runnable {

	private static final Log logger = LogFactory.getLog(OffloadScope.class);

	private static final String CANCELLED_BY = "Cancelled by its offload scope: ";

	private static final ScopeMember<?>[] NO_MEMBERS = {};

	private final Offloader offloader;

	private final Policy policy;

	private final long openedNanos;

	private final @Nullable Deadline deadline;

	private final @Nullable CallTimeouts timeouts;

	private final ScopeFuture<Void> future = new ScopeFuture<>(this);

	// This scope is the lock that guards the fields below and every member's calls.
	private ScopeMember<?>[] members = new ScopeMember<?>[4];

	private int size;

	private @Nullable ScopeFuture<?> joinedFuture;

	private @Nullable Supplier<?> joinedResult;

	private int pending;

	private int unreleased;

	private boolean joined;

	private @Nullable Outcome outcome;

	private @Nullable ScopeMember<?> failed;

	private @Nullable Throwable cancelCause;

	private @Nullable ScopeFuture<?> completedBy;

	private @Nullable Object completedWith;

	private @Nullable CompletableFuture<Void> released;

	private volatile @Nullable ScheduledFuture<?> timer;

	/**
	 * Opens a scope.
	 * @param offloader the offloader for {@link #call(Callable)} and the executor names
	 * of {@link #call(String, Callable)}
	 * @param policy how the group treats a member's failure
	 * @param deadline the group's own deadline, or {@code null}
	 * @param timeouts the timer for the deadline, or {@code null} to check it lazily
	 */
	DefaultOffloadScope(Offloader offloader, Policy policy, @Nullable Duration deadline,
			@Nullable CallTimeouts timeouts) {
		Assert.notNull(policy, "'policy' must not be null");
		Assert.isTrue(deadline == null || (!deadline.isNegative() && !deadline.isZero()),
				"'deadline' must be positive");
		this.offloader = offloader;
		this.policy = policy;
		this.timeouts = timeouts;
		long now = System.nanoTime();
		this.openedNanos = now;
		Deadline own = (deadline != null) ? new Deadline(now + deadline.toNanos(), deadline.toNanos(), this) : null;
		this.deadline = Deadline.earlier(inForce(), own);
		if (this.deadline != null && timeouts != null) {
			long remaining = this.deadline.getNanos() - now;
			if (remaining <= 0) {
				expire();
			}
			else {
				try {
					this.timer = timeouts.schedule(this, remaining);
				}
				catch (RejectedExecutionException ex) {
					// Shut down: the deadline is checked lazily, and members are
					// rejected.
				}
			}
		}
	}

	/**
	 * Returns the deadline in force on the current thread: that of the call whose body
	 * runs here, or of the scope whose member is being forked, whichever is earlier.
	 */
	static @Nullable Deadline inForce() {
		OffloadCall<?> current = CallRunner.current();
		Deadline deadline = (current != null && current.isBodyRunning()) ? current.getDeadline() : null;
		ScopeMember<?> member = ScopeMember.forking();
		return (member != null) ? Deadline.earlier(deadline, member.getScope().getDeadlineInForce()) : deadline;
	}

	Object lock() {
		return this;
	}

	@Nullable Deadline getDeadlineInForce() {
		return this.deadline;
	}

	@Override
	public Policy getPolicy() {
		return this.policy;
	}

	@Override
	public @Nullable Duration getDeadline() {
		Deadline deadline = this.deadline;
		return (deadline != null) ? Duration.ofNanos(deadline.getNanos() - this.openedNanos) : null;
	}

	@Override
	public <T> Member<T> fork(Callable<? extends CompletionStage<T>> call) {
		Assert.notNull(call, "'call' must not be null");
		ScopeMember<T> member = newMember();
		if (member == null) {
			return lateMember(new CompletableFuture<>());
		}
		ScopeMember<?> previous = ScopeMember.beginFork(member);
		CompletableFuture<T> future;
		try {
			CompletionStage<T> stage = call.call();
			future = (stage != null) ? stage.toCompletableFuture() : CompletableFuture
				.failedFuture(new NullPointerException(
						"The call of offload scope member " + member.name() + " returned null instead of a future"));
		}
		catch (Throwable ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		finally {
			ScopeMember.endFork(previous);
		}
		member.attach(future);
		return member;
	}

	@Override
	public <T> Member<T> add(CompletionStage<T> call) {
		Assert.notNull(call, "'call' must not be null");
		CompletableFuture<T> future = call.toCompletableFuture();
		ScopeMember<T> member = newMember();
		if (member == null) {
			return lateMember(future);
		}
		member.attach(future);
		return member;
	}

	@Override
	public <T> Member<T> call(Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		Offloader offloader = this.offloader;
		return fork(() -> offloader.call(task));
	}

	@Override
	public <T> Member<T> call(String executor, Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		Offloader offloader = this.offloader.executor(executor);
		return fork(() -> offloader.call(task));
	}

	/**
	 * Registers a new member, or returns {@code null} if the group has completed.
	 */
	private <T> @Nullable ScopeMember<T> newMember() {
		checkDeadline();
		synchronized (this) {
			if (this.outcome != null) {
				return null;
			}
			ScopeMember<T> member = addMember();
			this.pending++;
			return member;
		}
	}

	private <T> ScopeMember<T> addMember() {
		if (this.size == this.members.length) {
			this.members = Arrays.copyOf(this.members, this.size * 2);
		}
		ScopeMember<T> member = new ScopeMember<>(this, this.size + 1);
		this.members[this.size++] = member;
		return member;
	}

	/**
	 * Adds a member after the group completed: its future is cancelled at once, with a
	 * message that says so, and it never runs.
	 */
	private <T> Member<T> lateMember(CompletableFuture<T> future) {
		ScopeMember<T> member;
		String why;
		synchronized (this) {
			member = addMember();
			why = describeOutcome();
		}
		CancellationException ex = new CancellationException(
				"Not run: added to an offload scope that had already " + why + "; nothing may start after that");
		future.completeExceptionally(ex);
		member.attachLate(future);
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope member " + member.name() + " added after the scope had " + why
					+ "; it was cancelled at once");
		}
		return member;
	}

	private String describeOutcome() {
		Outcome outcome = this.outcome;
		if (outcome == Outcome.FAILED) {
			return "failed";
		}
		if (outcome == Outcome.TIMED_OUT) {
			return "timed out";
		}
		return (outcome == Outcome.CANCELLED) ? "been cancelled" : "completed";
	}

	@Override
	public CompletableFuture<Void> join() {
		checkDeadline();
		boolean decided = false;
		synchronized (this) {
			this.joined = true;
			if (this.outcome == null && this.pending == 0) {
				this.outcome = Outcome.COMPLETED;
				decided = true;
			}
		}
		if (decided) {
			finish();
		}
		return this.future;
	}

	@Override
	public <R> CompletableFuture<R> join(Supplier<? extends R> result) {
		Assert.notNull(result, "'result' must not be null");
		ScopeFuture<R> joined = new ScopeFuture<>(this);
		boolean direct;
		synchronized (this) {
			// The first is completed by finish() itself; any other through a stage.
			direct = this.outcome == null && this.joinedFuture == null;
			if (direct) {
				this.joinedFuture = joined;
				this.joinedResult = result;
			}
		}
		if (!direct) {
			this.future.whenComplete((done, ex) -> completeJoined(joined, result, ex));
		}
		join();
		return joined;
	}

	private static void completeJoined(ScopeFuture<?> joined, Supplier<?> result, @Nullable Throwable failure) {
		if (failure != null) {
			joined.completeInternal(null, failure);
			return;
		}
		try {
			joined.completeInternalWith(result.get());
		}
		catch (Throwable ex) {
			joined.completeInternal(null, ex);
		}
	}

	/**
	 * Completes the group's future, then the first future of {@code join(result)}.
	 */
	private void complete(@Nullable Throwable failure) {
		this.future.completeInternal(null, failure);
		ScopeFuture<?> joined;
		Supplier<?> result;
		synchronized (this) {
			joined = this.joinedFuture;
			result = this.joinedResult;
		}
		if (joined != null && result != null) {
			completeJoined(joined, result, failure);
		}
	}

	@Override
	public void await() throws InterruptedException, ExecutionException {
		try {
			join().get();
		}
		catch (InterruptedException ex) {
			cancelBy(new CancellationException(
					"The thread waiting for the offload scope was interrupted; the scope was cancelled"));
			throw ex;
		}
	}

	@Override
	public boolean cancel() {
		return cancelBy(new CancellationException("The offload scope was cancelled"));
	}

	@Override
	public void close() {
		cancelBy(new CancellationException("The offload scope was closed before it completed"));
	}

	@Override
	public CompletableFuture<Void> released() {
		CompletableFuture<Void> released;
		boolean complete;
		synchronized (this) {
			released = this.released;
			if (released == null) {
				released = new CompletableFuture<>();
				this.released = released;
			}
			complete = this.outcome != null && this.unreleased == 0;
		}
		if (complete) {
			released.complete(null);
		}
		return released;
	}

	@Override
	public List<Member<?>> members() {
		synchronized (this) {
			return List.of(Arrays.copyOf(this.members, this.size));
		}
	}

	/**
	 * Cancels the group, unless its outcome is decided.
	 * @param cause the exception the group's future completes with
	 * @return whether this call cancelled the group
	 */
	boolean cancelBy(Throwable cause) {
		return cancelBy(cause, null, null);
	}

	/**
	 * Cancels the group, unless its outcome is decided.
	 * @param cause the exception the group's future completes with
	 * @param completedBy a future of the group that its caller completed with a value,
	 * which it is to complete with once the members are cancelled
	 * @param value that value
	 * @return whether this call cancelled the group
	 */
	boolean cancelBy(Throwable cause, @Nullable ScopeFuture<?> completedBy, @Nullable Object value) {
		synchronized (this) {
			if (this.outcome != null) {
				return false;
			}
			this.outcome = Outcome.CANCELLED;
			this.cancelCause = cause;
			this.completedBy = completedBy;
			this.completedWith = value;
		}
		finish();
		return true;
	}

	/**
	 * Returns whether the group's future has completed: its outcome was decided and acted
	 * upon.
	 */
	boolean isComplete() {
		return this.future.isDone();
	}

	/**
	 * Called on the timer thread when the deadline elapses: completes the group away from
	 * it, as for a timed-out call.
	 */
	@Override
	public void run() {
		CallTimeouts timeouts = this.timeouts;
		if (timeouts != null) {
			timeouts.completeLater(this::expire);
		}
		else {
			expire();
		}
	}

	private void expire() {
		synchronized (this) {
			if (this.outcome != null) {
				return;
			}
			this.outcome = Outcome.TIMED_OUT;
		}
		finish();
	}

	private void checkDeadline() {
		if (this.timer == null && isPastDeadline()) {
			expire();
		}
	}

	private boolean isPastDeadline() {
		Deadline deadline = this.deadline;
		return deadline != null && System.nanoTime() - deadline.getNanos() >= 0;
	}

	void memberCompleted(ScopeMember<?> member) {
		Throwable failure = (this.policy == Policy.FAIL_FAST) ? member.exception() : null;
		boolean decided = false;
		synchronized (this) {
			this.pending--;
			if (this.outcome == null) {
				if (failure != null && isPastDeadline()) {
					// A call that inherited the deadline timed out as the deadline
					// elapsed: the group's deadline is the cause, not the member.
					this.outcome = Outcome.TIMED_OUT;
					decided = true;
				}
				else if (failure != null) {
					this.outcome = Outcome.FAILED;
					this.failed = member;
					decided = true;
				}
				else if (this.pending == 0 && this.joined) {
					this.outcome = Outcome.COMPLETED;
					decided = true;
				}
			}
		}
		if (decided) {
			finish();
		}
	}

	void callAdopted() {
		this.unreleased++;
	}

	void callReleased() {
		CompletableFuture<Void> released;
		synchronized (this) {
			this.unreleased--;
			released = (this.outcome != null && this.unreleased == 0) ? this.released : null;
		}
		if (released != null) {
			released.complete(null);
		}
	}

	/**
	 * Acts on the decided outcome, once, on the thread that decided it: cancels what
	 * still runs, then completes the group's future.
	 */
	private void finish() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			timer.cancel(false);
		}
		Outcome outcome;
		ScopeMember<?>[] members;
		synchronized (this) {
			outcome = this.outcome;
			members = (outcome == Outcome.COMPLETED) ? unfinishedCalls() : Arrays.copyOf(this.members, this.size);
		}
		if (outcome == Outcome.COMPLETED) {
			// Calls made for a member whose future completed without them.
			for (ScopeMember<?> member : members) {
				member.cancel(CANCELLED_BY + "the scope had completed without it");
			}
			complete(null);
		}
		else if (outcome == Outcome.FAILED) {
			failFast(members);
		}
		else if (outcome == Outcome.TIMED_OUT) {
			timeOut(members);
		}
		else {
			cancel(members);
		}
		CompletableFuture<Void> released;
		synchronized (this) {
			released = (this.unreleased == 0) ? this.released : null;
		}
		if (released != null) {
			released.complete(null);
		}
	}

	/**
	 * Returns the members with calls still running although their future completed
	 * (usually none, and then without allocating).
	 */
	private ScopeMember<?>[] unfinishedCalls() {
		ScopeMember<?>[] unfinished = NO_MEMBERS;
		for (int i = 0; i < this.size; i++) {
			if (this.members[i].hasUnfinishedCalls()) {
				unfinished = Arrays.copyOf(unfinished, unfinished.length + 1);
				unfinished[unfinished.length - 1] = this.members[i];
			}
		}
		return unfinished;
	}

	private void failFast(ScopeMember<?>[] members) {
		ScopeMember<?> failed = this.failed;
		Assert.state(failed != null, "No failed member");
		Throwable failure = failed.exception();
		Assert.state(failure != null, "No failure");
		String reason = CANCELLED_BY + "member " + failed.name() + " failed (" + failure + ")";
		List<String> cancelled = cancelAll(members, failed, reason);
		for (ScopeMember<?> member : members) {
			Throwable other = member.exception();
			if (member != failed && other != null && other != failure && !member.isCancelledByScope(other)) {
				failure.addSuppressed(other);
			}
		}
		awaitCompletion(members);
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope failed: member " + failed.name() + " failed with " + failure + "; cancelled "
					+ describe(cancelled));
		}
		complete(failure);
	}

	private void timeOut(ScopeMember<?>[] members) {
		Deadline deadline = this.deadline;
		Assert.state(deadline != null, "No deadline");
		String after = Deadline.format(deadline.getNanos() - this.openedNanos);
		String reason = CANCELLED_BY + "its deadline of " + after + " elapsed";
		List<String> cancelled = cancelAll(members, null, reason);
		List<String> running = new ArrayList<>();
		for (ScopeMember<?> member : members) {
			// Cancelled now, or timed out on the inherited deadline as it elapsed.
			if (cancelled.contains(member.name()) || member.exception() instanceof TimeoutException) {
				running.add(member.name());
			}
		}
		String inherited = (deadline.getOrigin() != this)
				? " (the time left of the deadline it inherited from " + deadline.describeOrigin() + ")" : "";
		TimeoutException ex = new TimeoutException("Offload scope timed out after " + after + inherited + " with "
				+ running.size() + " of " + members.length + " member(s) still running"
				+ (running.isEmpty() ? "" : ": " + String.join(", ", running)));
		awaitCompletion(members);
		if (logger.isDebugEnabled()) {
			logger.debug(ex.getMessage());
		}
		complete((this.policy == Policy.FAIL_FAST) ? ex : null);
	}

	private void cancel(ScopeMember<?>[] members) {
		Throwable cause = this.cancelCause;
		Assert.state(cause != null, "No cause");
		String reason = CANCELLED_BY + ((cause instanceof CancellationException) ? "the scope was cancelled"
				: "its future was completed with " + cause);
		List<String> cancelled = cancelAll(members, null, reason);
		awaitCompletion(members);
		ScopeFuture<?> completedBy = this.completedBy;
		if (completedBy != null) {
			completedBy.completeInternalWith(this.completedWith);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope cancelled (" + cause + "); cancelled " + describe(cancelled));
		}

		complete(cause);
	}

	/**
	 * Cancels every member but {@code except}: first those whose call waits in a queue,
	 * then the running ones, so that no worker freed by an interrupt takes a queued
	 * member before it is cancelled.
	 * @return the names of the members that were still running, in order
	 */
	private static List<String> cancelAll(ScopeMember<?>[] members, @Nullable ScopeMember<?> except, String reason) {
		boolean[] cancelled = new boolean[members.length];
		for (int i = 0; i < members.length; i++) {
			if (members[i] != except && members[i].isQueued()) {
				cancelled[i] = members[i].cancel(reason);
			}
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < members.length; i++) {
			if (members[i] != except && (cancelled[i] || members[i].cancel(reason))) {
				names.add(members[i].name());
			}
		}
		return names;
	}

	/**
	 * Waits until every member the group cancelled has completed, so that the group's
	 * future never completes before them.
	 */
	private static void awaitCompletion(ScopeMember<?>[] members) {
		for (ScopeMember<?> member : members) {
			member.awaitCompletion();
		}
	}

	private static String describe(List<String> cancelled) {
		return cancelled.isEmpty() ? "no other member"
				: cancelled.size() + " member(s): " + String.join(", ", cancelled);
	}

	@Override
	public String toString() {
		return "an offload scope";
	}

	private enum Outcome {

		COMPLETED, FAILED, TIMED_OUT, CANCELLED

	}

}
