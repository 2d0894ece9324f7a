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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The lifecycle of a {@link DefaultOffloadScope}: its outcome is decided exactly once,
 * under one lock, by whichever comes first: the last member's success after {@code join},
 * a member's failure (when failing fast), the deadline, or a cancel. The thread that
 * decides then acts on it, once and outside the lock: it cancels the members that are
 * still running and completes the group's future.
 * <p>
 * A base class of the scope rather than an object of its own, so that a scope stays one
 * allocation.
 */
abstract class ScopeLifecycle extends ScopeMembers {

	private final Policy policy;

	final long openedNanos;

	final ScopeFuture<Void> future = new ScopeFuture<>(this);

	// Guarded by the scope's lock.
	private int pending;

	private boolean joined;

	private @Nullable Outcome outcome;

	private @Nullable ScopeMember<?> failed;

	private @Nullable Throwable cancelCause;

	private @Nullable ScopeFuture<?> completedBy;

	private @Nullable Object completedWith;

	volatile @Nullable ScheduledFuture<?> timer;

	ScopeLifecycle(Policy policy) {
		Assert.notNull(policy, "'policy' must not be null");
		this.policy = policy;
		this.openedNanos = System.nanoTime();
	}

	abstract @Nullable Deadline getDeadlineInForce();

	/**
	 * Completes the group's future, and any other future that waits for it.
	 */
	abstract void complete(@Nullable Throwable failure);

	@Override
	public Policy getPolicy() {
		return this.policy;
	}

	/**
	 * Registers a new member, or returns {@code null} if the group has completed.
	 */
	<T> @Nullable ScopeMember<T> newMember() {
		checkDeadline();
		synchronized (lock()) {
			if (this.outcome != null) {
				return null;
			}
			ScopeMember<T> member = addMember();
			this.pending++;
			return member;
		}
	}

	private <T> ScopeMember<T> addMember() {
		ScopeMember<T> member = new ScopeMember<>(this, memberCount() + 1);
		register(member);
		return member;
	}

	/**
	 * Adds a member after the group completed: its future is cancelled at once, with a
	 * message that says so, and it never runs.
	 */
	<T> Member<T> lateMember(CompletableFuture<T> future) {
		ScopeMember<T> member;
		String why;
		synchronized (lock()) {
			member = addMember();
			why = describeOutcome();
		}
		ScopeCancellation.cancelLate(member, future, why);
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
	boolean isDecided() {
		return this.outcome != null;
	}

	@Override
	public CompletableFuture<Void> join() {
		checkDeadline();
		boolean decided = false;
		synchronized (lock()) {
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
		synchronized (lock()) {
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

	void expire() {
		synchronized (lock()) {
			if (this.outcome != null) {
				return;
			}
			this.outcome = Outcome.TIMED_OUT;
		}
		finish();
	}

	void checkDeadline() {
		if (this.timer == null && isPastDeadline()) {
			expire();
		}
	}

	private boolean isPastDeadline() {
		Deadline deadline = getDeadlineInForce();
		return deadline != null && System.nanoTime() - deadline.getNanos() >= 0;
	}

	void memberCompleted(ScopeMember<?> member) {
		Throwable failure = (this.policy == Policy.FAIL_FAST) ? member.exception() : null;
		boolean decided = false;
		synchronized (lock()) {
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
		synchronized (lock()) {
			outcome = this.outcome;
			members = (outcome == Outcome.COMPLETED) ? unfinishedCalls() : snapshot();
		}
		if (outcome == Outcome.COMPLETED) {
			ScopeCancellation.cancelCallsLeft(members);
			complete(null);
		}
		else if (outcome == Outcome.FAILED) {
			ScopeMember<?> failed = this.failed;
			Assert.state(failed != null, "No failed member");
			complete(ScopeCancellation.failFast(members, failed));
		}
		else if (outcome == Outcome.TIMED_OUT) {
			Deadline deadline = getDeadlineInForce();
			Assert.state(deadline != null, "No deadline");
			TimeoutException ex = ScopeCancellation.timeOut(members, deadline, this.openedNanos, this);
			complete((this.policy == Policy.FAIL_FAST) ? ex : null);
		}
		else {
			Throwable cause = this.cancelCause;
			Assert.state(cause != null, "No cause");
			ScopeCancellation.cancel(members, cause, this.completedBy, this.completedWith);
			complete(cause);
		}
		completeReleasedIfQuiet();
	}

	private enum Outcome {

		COMPLETED, FAILED, TIMED_OUT, CANCELLED

	}

}
