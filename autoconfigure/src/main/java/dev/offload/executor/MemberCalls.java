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

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadScope;

/**
 * The calls made for one member of a {@link DefaultOffloadScope} while it was forked:
 * adopted under the scope's lock, cancelled with the member, waited for once cancelled,
 * and how long the member's call held a thread.
 * <p>
 * A base class of {@link ScopeMember} rather than an object of its own, so that a member
 * stays one allocation.
 *
 * @param <T> the type of the member's result
 */
abstract class MemberCalls<T> implements OffloadScope.Member<T> {

	private static final long NOT_YET = Long.MIN_VALUE;

	final ScopeLifecycle scope;

	volatile @Nullable CompletableFuture<T> future;

	// The first call made for the member (usually its only one, and its future);
	// guarded by the scope's lock, read by workers after the hand-off.
	volatile @Nullable ScopedCall<?> call;

	// Further calls made for the member; guarded by the scope's lock.
	private @Nullable List<ScopedCall<?>> moreCalls;

	// Set, under the scope's lock, once the scope cancels the member.
	volatile @Nullable CancellationException cancellation;

	private volatile long bodyStartNanos = NOT_YET;

	private volatile long bodyEndNanos = NOT_YET;

	MemberCalls(ScopeLifecycle scope) {
		this.scope = scope;
	}

	ScopeLifecycle getScope() {
		return this.scope;
	}

	/**
	 * Takes a call made while this member was being forked.
	 * @return whether the scope had cancelled the member already, in which case the call
	 * is now cancelled too and must not be run
	 */
	boolean adopt(ScopedCall<?> call) {
		CancellationException cancellation;
		synchronized (this.scope.lock()) {
			if (this.call == null) {
				this.call = call;
			}
			else {
				if (this.moreCalls == null) {
					this.moreCalls = new ArrayList<>(2);
				}
				this.moreCalls.add(call);
			}
			this.scope.callAdopted();
			cancellation = this.cancellation;
		}
		if (cancellation != null) {
			call.completeExceptionally(cancellation);
			return true;
		}
		return false;
	}

	void bodyStarted(ScopedCall<?> call) {
		if (call == this.call) {
			this.bodyStartNanos = System.nanoTime();
		}
	}

	void bodyEnded(ScopedCall<?> call) {
		if (call == this.call) {
			this.bodyEndNanos = System.nanoTime();
		}
	}

	void callReleased() {
		this.scope.callReleased();
	}

	/**
	 * Cancels the member, its future and every call made for it that has not completed.
	 * @param reason the message of the {@link CancellationException}
	 * @return whether the member was still running
	 */
	boolean cancel(String reason) {
		CompletableFuture<T> future;
		ScopedCall<?> call;
		List<ScopedCall<?>> moreCalls;
		CancellationException cancellation;
		synchronized (this.scope.lock()) {
			if (this.cancellation != null) {
				return false;
			}
			future = this.future;
			call = this.call;
			moreCalls = (this.moreCalls != null) ? new ArrayList<>(this.moreCalls) : null;
			if (future != null && future.isDone() && (call == null || call.isDone()) && moreCalls == null) {
				return false;
			}
			cancellation = new CancellationException(reason);
			this.cancellation = cancellation;
		}
		boolean running = future == null || !future.isDone();
		if (future != null) {
			future.completeExceptionally(cancellation);
		}
		if (call != null) {
			call.completeExceptionally(cancellation);
		}
		if (moreCalls != null) {
			moreCalls.forEach((more) -> more.completeExceptionally(cancellation));
		}
		return running;
	}

	/**
	 * Waits for the member's future and first call to complete. Called after the scope
	 * cancelled the member: a cancel that lost to a completion in progress on another
	 * thread (an outcome claimed, its listener running) sees the future complete within
	 * moments, and no user code runs in that window.
	 */
	void awaitCompletion() {
		CompletableFuture<T> future = this.future;
		ScopedCall<?> call = this.call;
		int spins = 0;
		while ((future != null && !future.isDone()) || (call != null && !call.isDone())) {
			if (++spins % 64 == 0) {
				Thread.yield();
			}
			else {
				Thread.onSpinWait();
			}
		}
	}

	/**
	 * Returns whether the member's call waits in a queue: made, not started, not
	 * complete.
	 */
	boolean isQueued() {
		ScopedCall<?> call = this.call;
		OffloadCall<?> queued = (call != null) ? call
				: (this.future instanceof OffloadCall<?> offloadCall) ? offloadCall : null;
		return queued != null && !queued.hasStarted() && !queued.isDone();
	}

	/**
	 * Returns whether a call made for the member has not completed; under the scope's
	 * lock.
	 */
	boolean hasUnfinishedCalls() {
		ScopedCall<?> call = this.call;
		return (call != null && !call.isDone()) || this.moreCalls != null;
	}

	boolean isCancelledByScope(@Nullable Throwable ex) {
		return ex != null && ex == this.cancellation;
	}

	/**
	 * Returns how long the member's call held a thread: from its body's start to its end,
	 * or to now while it runs; zero if the body has not started.
	 */
	@Override
	public Duration heldThread() {
		long start = this.bodyStartNanos;
		if (start == NOT_YET) {
			return Duration.ZERO;
		}
		long end = this.bodyEndNanos;
		return Duration.ofNanos(((end != NOT_YET) ? end : System.nanoTime()) - start);
	}

}
