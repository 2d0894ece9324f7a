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

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

import dev.offload.context.ContextPropagator;

/**
 * One offloaded call: the future the caller holds and the task a worker runs, in one
 * object.
 * <p>
 * {@link CompletableFuture} alone cannot do this job: its {@code cancel(true)} never
 * interrupts the thread computing it, and a {@code supplyAsync} future whose task is
 * dropped from a queue at {@code shutdownNow()} stays incomplete forever. So the call
 * tracks its own run state (in its base class {@code CallRunState}), decides its outcome
 * once (in its base class {@code CallCompletion}) and is run by {@code CallRunner} on the
 * worker; this class holds what the worker needs and cuts the call off at its timeout or
 * at shutdown:
 * <ul>
 * <li>whoever completes the future first (the worker, the timeout, the caller's
 * {@code cancel}, a rejection, shutdown) decides the outcome, exactly once;</li>
 * <li>if that is not the worker, a call still queued is removed and will never run, and a
 * running body is interrupted (not for {@code cancel(false)}); its {@link CancelHooks}
 * run once the future has completed;</li>
 * <li>the worker hands on no interrupt: it waits for an interrupt in progress to land and
 * clears it before completing the future, the way {@link java.util.concurrent.FutureTask}
 * does.</li>
 * </ul>
 * Dependent stages attached without an executor run on the worker when it completes the
 * future, with the caller's context still installed; the context is reset after them.
 *
 * @param <T> the type of the result
 * @since 0.1.0
 */
public sealed class OffloadCall<T> extends CallCompletion<T> implements Runnable permits ScopedCall {

	private static final Log logger = LogFactory.getLog(OffloadCall.class);

	private final long startNanos;

	private @Nullable Object context;

	private @Nullable Object task;

	private @Nullable Runnable decorated;

	OffloadCall(OffloadCallSite site, Object task, long startNanos) {
		super(site);
		this.task = task;
		this.startNanos = startNanos;
	}

	long getStartNanos() {
		return this.startNanos;
	}

	/**
	 * Returns the deadline in force while this call's body runs, which calls made from
	 * the body inherit: its own timeout, counted from the call.
	 * @return the deadline, or {@code null} if the call has no timeout
	 */
	@Nullable Deadline getDeadline() {
		long timeoutNanos = getSite().getTimeoutNanos();
		return (timeoutNanos > 0) ? new Deadline(this.startNanos + timeoutNanos, timeoutNanos, getSite()) : null;
	}

	/**
	 * Returns when the call's timer must fire, counted from {@code now}.
	 * @param now the current {@link System#nanoTime()}
	 * @return the delay in nanoseconds; 0 for no timer; negative if the deadline has
	 * passed already
	 */
	long getTimerNanos(long now) {
		return getSite().getTimeoutNanos();
	}

	/**
	 * Says how long the call had, for the message of its {@link TimeoutException}.
	 */
	String describeTimeout() {
		return "timed out after " + getSite().formatTimeout();
	}

	/**
	 * Captures the caller's context and lets a {@code TaskDecorator} wrap the body; on
	 * the caller thread, before the call is handed to a worker.
	 */
	void capture(ContextPropagator propagator, @Nullable TaskDecorator decorator) {
		Object captured = propagator.capture();
		if (this.context instanceof CallObservation observation) {
			observation.setContext(captured);
		}
		else {
			this.context = captured;
		}
		if (decorator != null) {
			this.decorated = decorator.decorate(() -> CallRunner.runBody(this));
		}
	}

	/**
	 * Runs the call on the current thread, unless it was taken, dropped or completed
	 * already; see {@link CallRunner}.
	 */
	@Override
	public void run() {
		if (tryStart()) {
			CallRunner.run(this);
		}
	}

	@Nullable Object getContext() {
		Object context = this.context;
		return (context instanceof CallObservation observation) ? observation.getContext() : context;
	}

	/**
	 * Makes the call observed; on the caller thread, before the call is tracked, so that
	 * whoever completes it finds its observation. The observation takes the context slot
	 * and holds the captured context: an unobserved call stays one allocation.
	 */
	void observe(CallObservation observation) {
		this.context = observation;
	}

	/**
	 * Returns the call's observation.
	 * @return the observation, or {@code null} if the call is not observed
	 */
	@Nullable CallObservation getObservation() {
		return (this.context instanceof CallObservation observation) ? observation : null;
	}

	@Nullable Runnable getDecorated() {
		return this.decorated;
	}

	/**
	 * Hands the task over to the runner, once.
	 * @return the task, or {@code null} if it was taken before
	 */
	@Nullable Object takeTask() {
		Object task = this.task;
		this.task = null;
		return task;
	}

	/**
	 * Leaves the running state (see {@link CallRunState#endRun()}). A call whose future
	 * was completed while the body ran is untracked here.
	 */
	@Override
	void endRun() {
		CancelHooks.close(this);
		super.endRun();
		// Pairs with completeAs(): one of the two sees the other's write and untracks.
		if (isDone()) {
			getSite().getExecutor().untrack(this);
		}
	}

	/**
	 * Called on the timeout thread when the call's timeout elapses. That thread only
	 * triggers: the future is completed on the executor's completion thread, so that a
	 * slow dependent stage of one caller cannot delay every other call's timeout.
	 */
	void timeOut() {
		if (getOutcome() == null) {
			getSite().getExecutor().completeLater(this::expire);
		}
	}

	/**
	 * Completes the call with a {@link TimeoutException}, unless it completed before.
	 */
	void expire() {
		// The run state is settled before the outcome is claimed (see finish), so that
		// the message says what really happened to the body.
		boolean dropped = drop() || isDropped();
		if (!claim(OffloadOutcome.TIMEOUT)) {
			return;
		}
		boolean interrupted = !dropped && interruptRunner(false, false);
		String when = dropped ? "before a worker took it (it will not run)"
				: interrupted ? "while it was running (the body was interrupted)"
						: "after its body had returned (its result is discarded)";
		OffloadCallSite site = getSite();
		completeAs(null,
				new TimeoutException("Offloaded call to " + site.getDescription() + " on executor '"
						+ site.getExecutor().getName() + "' " + describeTimeout() + " " + when),
				OffloadOutcome.TIMEOUT);
		if (interrupted) {
			CancelHooks.fire(this);
		}
	}

	void reject(RejectedExecutionException ex) {
		finish(null, ex, OffloadOutcome.REJECTED, false);
	}

	/**
	 * Fails a call that could not be handed to a worker for another reason than rejection
	 * (the context capture or a {@code TaskDecorator} threw).
	 */
	void fail(Throwable ex) {
		finish(null, ex, OffloadOutcome.ERROR, false);
	}

	/**
	 * Cuts the call off at shutdown: a call that never started is rejected; a running
	 * body is interrupted, even if its future is already complete or it was interrupted
	 * before (a body that swallowed its timeout's interrupt), and, if {@code force}, its
	 * future completed now rather than by the body.
	 */
	boolean shutDown(boolean force) {
		if (drop()) {
			return finish(null,
					new RejectedExecutionException("Offload executor '" + getSite().getExecutor().getName()
							+ "' shut down before the call to " + getSite().getDescription() + " started"),
					OffloadOutcome.REJECTED, false);
		}
		boolean interrupted = interruptRunner(true, true);
		boolean finished = force && finish(null, cutOffException(), OffloadOutcome.CANCELLED, false);
		if (interrupted) {
			CancelHooks.fire(this);
		}
		return finished;
	}

	CancellationException cutOffException() {
		return new CancellationException(
				"Offload executor '" + getSite().getExecutor().getName() + "' shut down while the call to "
						+ getSite().getDescription() + " was still running; the body was interrupted");
	}

	void logFailure(Throwable ex) {
		if (logger.isErrorEnabled()) {
			logger.error("Offloaded call to " + getSite().getDescription() + " on executor '"
					+ getSite().getExecutor().getName() + "' failed", ex);
		}
	}

	@Override
	public String toString() {
		return "OffloadCall[" + getSite() + "] " + super.toString();
	}

}
