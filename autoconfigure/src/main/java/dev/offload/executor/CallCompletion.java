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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The caller's side of an {@link OffloadCall}: its outcome, decided once by whoever
 * completes the future first, and the future completed with it. A call still queued is
 * dropped and never runs; a running body is interrupted if asked, and its
 * {@link CancelHooks} run once the future has completed.
 * <p>
 * A base class rather than a field of the call, so that a call stays one allocation.
 *
 * @param <T> the type of the result
 */
abstract sealed class CallCompletion<T> extends CallRunState<T> permits OffloadCall {

	private static final VarHandle OUTCOME;

	static {
		try {
			OUTCOME = MethodHandles.lookup().findVarHandle(CallCompletion.class, "outcome", OffloadOutcome.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final OffloadCallSite site;

	private volatile @Nullable OffloadOutcome outcome;

	private volatile @Nullable ScheduledFuture<?> timeout;

	CallCompletion(OffloadCallSite site) {
		this.site = site;
	}

	/**
	 * Returns where this call was made.
	 * @return the call site
	 */
	public OffloadCallSite getSite() {
		return this.site;
	}

	/**
	 * Returns how the call ended.
	 * @return the outcome, or {@code null} while the call is pending
	 */
	public @Nullable OffloadOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Called once the future has completed, on the completing thread.
	 */
	void afterCompletion() {
	}

	void setTimeout(ScheduledFuture<?> timeout) {
		this.timeout = timeout;
		// Pairs with completeAs(): one of the two sees the other and cancels the timeout.
		if (this.outcome != null) {
			timeout.cancel(false);
		}
	}

	/**
	 * Claims the outcome, if no one has yet, without completing the future.
	 * @return whether the current thread decides the outcome
	 */
	final boolean claim(OffloadOutcome outcome) {
		return OUTCOME.compareAndSet(this, null, outcome);
	}

	/**
	 * Completes the caller's future if no one has yet; the single place where the outcome
	 * is decided. A call still queued is removed and will never run; a running one is
	 * interrupted if asked.
	 */
	final boolean finish(@Nullable T value, @Nullable Throwable ex, OffloadOutcome outcome, boolean interrupt) {
		// A queued call is dropped before the outcome is claimed: whoever completes the
		// call wants a queued call never to run; and a worker that took the call first
		// runs a body that the outcome then knows to be running. (Claimed first, a worker
		// could start the body of a call already cancelled or timed out.)
		boolean dropped = drop();
		if (!claim(outcome)) {
			return false;
		}
		boolean interrupted = !dropped && interrupt && interruptRunner(false, false);
		completeAs(value, ex, outcome);
		if (interrupted) {
			CancelHooks.fire(call());
		}
		return true;
	}

	/**
	 * Completes the future with the claimed outcome. The executor's bookkeeping and the
	 * listener run before the future completes, so that they have happened when a
	 * caller's {@code get()} returns; the call leaves the in-flight set only after, so
	 * that {@code close()} cannot return while the future is incomplete.
	 */
	final void completeAs(@Nullable T value, @Nullable Throwable ex, OffloadOutcome outcome) {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		OffloadExecutor executor = this.site.getExecutor();
		try {
			executor.getAccounting().callCompleted(call(), outcome, ex);
		}
		finally {
			try {
				if (ex == null) {
					super.complete(value);
				}
				else {
					super.completeExceptionally(ex);
				}
			}
			finally {
				// Pairs with endRun(): a body still running keeps the call tracked,
				// so that shutdown can still interrupt it.
				if (!isBodyRunning()) {
					executor.untrack(call());
				}
				afterCompletion();
			}
		}
	}

	/**
	 * Takes a call that no worker has taken out of the queue, for good.
	 * @return whether the call was still queued
	 */
	final boolean drop() {
		if (tryDrop()) {
			this.site.getExecutor().remove(call());
			return true;
		}
		return false;
	}

	/**
	 * Completes the future with the value and stops the body: a call still queued never
	 * runs, a running body is interrupted.
	 */
	@Override
	public boolean complete(T value) {
		return finish(value, null, OffloadOutcome.CANCELLED, true);
	}

	/**
	 * Completes the future with the exception and stops the body: a call still queued
	 * never runs, a running body is interrupted. A {@link TimeoutException} (as from
	 * {@link #orTimeout}) counts as a timeout.
	 */
	@Override
	public boolean completeExceptionally(Throwable ex) {
		OffloadOutcome outcome = (ex instanceof TimeoutException) ? OffloadOutcome.TIMEOUT : OffloadOutcome.CANCELLED;
		return finish(null, ex, outcome, true);
	}

	/**
	 * Cancels the call: a call still queued is removed and never runs; a running body is
	 * interrupted if {@code mayInterruptIfRunning}.
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		boolean cancelled = finish(null, new CancellationException(), OffloadOutcome.CANCELLED, mayInterruptIfRunning);
		return cancelled || isCancelled();
	}

	@SuppressWarnings("unchecked")
	private OffloadCall<T> call() {
		// The only subclass (sealed).
		return (OffloadCall<T>) this;
	}

}
