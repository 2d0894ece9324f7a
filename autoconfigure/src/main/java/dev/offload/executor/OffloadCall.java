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
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.util.Assert;

import dev.offload.context.ContextPropagator;

/**
 * One offloaded call: the future the caller holds and the task a worker runs, in one
 * object.
 * <p>
 * {@link CompletableFuture} alone cannot do this job: its {@code cancel(true)} never
 * interrupts the thread computing it, and a {@code supplyAsync} future whose task is
 * dropped from a queue at {@code shutdownNow()} stays incomplete forever. So the call
 * tracks its own run state:
 * <ul>
 * <li>whoever completes the future first (the worker, the timeout, the caller's
 * {@code cancel}, a rejection, shutdown) decides the outcome, exactly once;</li>
 * <li>if that is not the worker, a call still queued is removed and will never run, and a
 * running body is interrupted (not for {@code cancel(false)});</li>
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
public final class OffloadCall<T> extends CompletableFuture<T> implements Runnable {

	private static final Log logger = LogFactory.getLog(OffloadCall.class);

	private static final int NEW = 0;

	private static final int RUNNING = 1;

	private static final int INTERRUPTING = 2;

	private static final int INTERRUPTED = 3;

	private static final int FINISHED = 4;

	private static final int DROPPED = 5;

	private static final VarHandle STATE;

	private static final VarHandle OUTCOME;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(OffloadCall.class, "state", int.class);
			OUTCOME = lookup.findVarHandle(OffloadCall.class, "outcome", OffloadOutcome.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * The call whose body runs on the current thread, so that a nested offload can tell
	 * that it comes from a worker of the same executor. Set to {@code null} rather than
	 * removed after a call, which would cost a new map entry on the next.
	 */
	private static final ThreadLocal<@Nullable OffloadCall<?>> CURRENT = new ThreadLocal<>();

	private final OffloadCallSite site;

	private final long startNanos;

	private @Nullable Object context;

	private @Nullable Object task;

	private @Nullable Runnable decorated;

	private volatile int state;

	private volatile @Nullable OffloadOutcome outcome;

	private volatile @Nullable Thread runner;

	private volatile @Nullable ScheduledFuture<?> timeout;

	private volatile boolean cutOff;

	OffloadCall(OffloadCallSite site, Object task, long startNanos) {
		this.site = site;
		this.task = task;
		this.startNanos = startNanos;
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
	 * Returns whether the body has started (it may have finished since).
	 * @return whether a worker took the call
	 */
	public boolean hasStarted() {
		int s = this.state;
		return s != NEW && s != DROPPED;
	}

	/**
	 * Returns whether the body is running now: taken by a worker and not yet returned.
	 */
	boolean isBodyRunning() {
		int s = this.state;
		return s == RUNNING || s == INTERRUPTING || s == INTERRUPTED;
	}

	long getStartNanos() {
		return this.startNanos;
	}

	/**
	 * Captures the caller's context and lets a {@code TaskDecorator} wrap the body; on
	 * the caller thread, before the call is handed to a worker.
	 */
	void capture(ContextPropagator propagator, @Nullable TaskDecorator decorator) {
		this.context = propagator.capture();
		if (decorator != null) {
			this.decorated = decorator.decorate(this::runBody);
		}
	}

	void setTimeout(ScheduledFuture<?> timeout) {
		this.timeout = timeout;
		if (isDone()) {
			timeout.cancel(false);
		}
	}

	/**
	 * Runs the call on the current thread: installs the caller's context, runs the body,
	 * completes the future and puts the thread back as it was. Nothing thrown on the way
	 * escapes: a failure before the body ran completes the future instead.
	 */
	@Override
	public void run() {
		Thread current = Thread.currentThread();
		this.runner = current;
		if (!STATE.compareAndSet(this, NEW, RUNNING)) {
			this.runner = null;
			return;
		}
		OffloadExecutor executor = this.site.getExecutor();
		ContextPropagator propagator = executor.getContextPropagator();
		// Not null when the call runs inside another call's body on this thread (a nested
		// call run inline): that body's interrupt must survive this call's clean-up.
		OffloadCall<?> outer = CURRENT.get();
		boolean outerInterrupted = outer != null && current.isInterrupted();
		Object restored = null;
		boolean installed = false;
		try {
			CURRENT.set(this);
			executor.callStarted(this);
			restored = propagator.restore(this.context);
			installed = true;
			Runnable decorated = this.decorated;
			if (decorated == null) {
				runBody();
			}
			else {
				runDecorated(decorated);
			}
		}
		catch (Throwable ex) {
			// Taken by the worker, but the context could not be installed: the body never
			// ran.
			this.task = null;
			finishRun();
			finish(null, ex, OffloadOutcome.ERROR, false);
		}
		finally {
			try {
				if (installed) {
					propagator.reset(restored);
				}
			}
			catch (Throwable ex) {
				logger.warn("Could not reset the worker's context after the offloaded call to "
						+ this.site.getDescription(), ex);
			}
			finally {
				CURRENT.set(outer);
				if (outer != null && (outerInterrupted || outer.isInterruptRequested())) {
					current.interrupt();
				}
			}
		}
	}

	/**
	 * Returns the call whose body runs on the current thread.
	 * @return the call, or {@code null} if the current thread runs none
	 */
	static @Nullable OffloadCall<?> current() {
		return CURRENT.get();
	}

	/**
	 * Runs the body and completes the caller's future; on the worker, inside the caller's
	 * context and inside any {@code TaskDecorator}.
	 */
	private void runBody() {
		Object task = this.task;
		this.task = null;
		if (task == null) {
			return;
		}
		Object result = null;
		Throwable failure = null;
		try {
			result = invoke(this.site.getTaskKind(), task);
			if (result instanceof Future<?> future && !(result instanceof CompletionStage<?>)) {
				result = future.get();
			}
		}
		catch (ExecutionException ex) {
			failure = (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finishRun();
		try {
			if (failure != null) {
				finish(null, failure, OffloadOutcome.ERROR, false);
			}
			else if (this.cutOff) {
				// Cut off at shutdown: a value returned after the interrupt is not a
				// success.
				finish(null, cutOffException(), OffloadOutcome.CANCELLED, false);
			}
			else {
				settle(result);
			}
		}
		catch (Throwable ex) {
			// The body's result could not be read (a CompletionStage that throws): a
			// failure.
			finish(null, ex, OffloadOutcome.ERROR, false);
		}
	}

	/**
	 * Runs the body inside a {@code TaskDecorator}'s runnable. A decorator that throws,
	 * or that does not run the body at all, still leaves the future completed.
	 */
	private void runDecorated(Runnable decorated) {
		Throwable failure = null;
		try {
			decorated.run();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		if (this.task != null || isBodyRunning()) {
			this.task = null;
			finishRun();
			finish(null,
					(failure != null) ? failure
							: new IllegalStateException(
									"A TaskDecorator did not run the offloaded call to " + this.site.getDescription()),
					OffloadOutcome.ERROR, false);
		}
		else if (failure != null) {
			logger.warn("A TaskDecorator failed after the offloaded call to " + this.site.getDescription(), failure);
		}
	}

	private static @Nullable Object invoke(OffloadCallSite.TaskKind kind, @Nullable Object task) throws Throwable {
		Assert.state(task != null, "No task");
		switch (kind) {
			case INVOCATION:
				return ((MethodInvocation) task).proceed();
			case CALLABLE:
				return ((Callable<?>) task).call();
			default:
				((Runnable) task).run();
				return null;
		}
	}

	/**
	 * Leaves the running state; waits for an interrupt in progress to land, then clears
	 * the thread's interrupt flag so that neither the dependent stages nor the next task
	 * see it. A call whose future was completed while the body ran is untracked here.
	 */
	private void finishRun() {
		for (;;) {
			int s = this.state;
			if (s == INTERRUPTING) {
				Thread.onSpinWait();
			}
			else if (s != RUNNING && s != INTERRUPTED) {
				break;
			}
			else if (STATE.compareAndSet(this, s, FINISHED)) {
				break;
			}
		}
		this.runner = null;
		Thread.interrupted();
		// Pairs with completeAs(): one of the two sees the other's write and untracks.
		if (isDone()) {
			this.site.getExecutor().untrack(this);
		}
	}

	@SuppressWarnings("unchecked")
	private void settle(@Nullable Object result) {
		// Only a plain CompletableFuture may be asked whether it is done: other stages
		// (such
		// as CompletableFuture.completedStage) throw, so they are awaited through
		// whenComplete.
		if (result != null && result.getClass() == CompletableFuture.class) {
			CompletableFuture<?> future = (CompletableFuture<?>) result;
			if (future.isDone() && !future.isCompletedExceptionally()) {
				finish((T) future.getNow(null), null, OffloadOutcome.SUCCESS, false);
				return;
			}
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> {
				if (ex == null) {
					finish((T) value, null, OffloadOutcome.SUCCESS, false);
				}
				else {
					Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
					OffloadOutcome outcome = (cause instanceof CancellationException) ? OffloadOutcome.CANCELLED
							: OffloadOutcome.ERROR;
					finish(null, cause, outcome, false);
				}
			});
		}
		else {
			finish((T) result, null, OffloadOutcome.SUCCESS, false);
		}
	}

	/**
	 * Called on the timeout thread when the call's timeout elapses. That thread only
	 * triggers: the future is completed on the executor's completion thread, so that a
	 * slow dependent stage of one caller cannot delay every other call's timeout.
	 */
	void timeOut() {
		if (this.outcome == null) {
			this.site.getExecutor().completeLater(this::expire);
		}
	}

	private void expire() {
		if (!OUTCOME.compareAndSet(this, null, OffloadOutcome.TIMEOUT)) {
			return;
		}
		// Settle the state first, so that the message says what really happened.
		String when = drop() ? "before a worker took it (it will not run)"
				: interruptRunner(false, false) ? "while it was running (the body was interrupted)"
						: "as its body was returning (its result is discarded)";
		OffloadCallSite site = this.site;
		completeAs(null,
				new TimeoutException("Offloaded call to " + site.getDescription() + " on executor '"
						+ site.getExecutor().getName() + "' timed out after " + site.formatTimeout() + " " + when),
				OffloadOutcome.TIMEOUT);
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
					new RejectedExecutionException("Offload executor '" + this.site.getExecutor().getName()
							+ "' shut down before the call to " + this.site.getDescription() + " started"),
					OffloadOutcome.REJECTED, false);
		}
		interruptRunner(true, true);
		if (force) {
			return finish(null, cutOffException(), OffloadOutcome.CANCELLED, false);
		}
		return false;
	}

	private CancellationException cutOffException() {
		return new CancellationException(
				"Offload executor '" + this.site.getExecutor().getName() + "' shut down while the call to "
						+ this.site.getDescription() + " was still running; the body was interrupted");
	}

	/**
	 * Completes the caller's future if no one has yet; the single place where the outcome
	 * is decided. A call still queued is removed and will never run; a running one is
	 * interrupted if asked.
	 */
	private boolean finish(@Nullable T value, @Nullable Throwable ex, OffloadOutcome outcome, boolean interrupt) {
		if (!OUTCOME.compareAndSet(this, null, outcome)) {
			return false;
		}
		if (!drop() && interrupt) {
			interruptRunner(false, false);
		}
		completeAs(value, ex, outcome);
		return true;
	}

	/**
	 * Completes the future with the claimed outcome. The executor's bookkeeping and the
	 * listener run before the future completes, so that they have happened when a
	 * caller's {@code get()} returns; the call leaves the in-flight set only after, so
	 * that {@code close()} cannot return while the future is incomplete.
	 */
	private void completeAs(@Nullable T value, @Nullable Throwable ex, OffloadOutcome outcome) {
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		OffloadExecutor executor = this.site.getExecutor();
		try {
			executor.callCompleted(this, outcome, ex);
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
				// Pairs with finishRun(): a body still running keeps the call tracked, so
				// that
				// shutdown can still interrupt it.
				if (!isBodyRunning()) {
					executor.untrack(this);
				}
			}
		}
	}

	/**
	 * Takes a call that no worker has taken out of the queue, for good.
	 * @return whether the call was still queued
	 */
	private boolean drop() {
		if (STATE.compareAndSet(this, NEW, DROPPED)) {
			this.site.getExecutor().remove(this);
			return true;
		}
		return false;
	}

	/**
	 * Interrupts a running body. {@code cutOff} marks it as cut off by shutdown before
	 * the interrupt lands, so that a body that returns normally afterwards still fails;
	 * {@code again} interrupts a body that was interrupted before.
	 * @return whether the body was interrupted
	 */
	private boolean interruptRunner(boolean cutOff, boolean again) {
		if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)
				|| (again && STATE.compareAndSet(this, INTERRUPTED, INTERRUPTING))) {
			try {
				if (cutOff) {
					this.cutOff = true;
				}
				Thread thread = this.runner;
				if (thread != null) {
					thread.interrupt();
				}
			}
			finally {
				this.state = INTERRUPTED;
			}
			return true;
		}
		return false;
	}

	private boolean isInterruptRequested() {
		int s = this.state;
		return s == INTERRUPTING || s == INTERRUPTED;
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

	void logFailure(Throwable ex) {
		if (logger.isErrorEnabled()) {
			logger.error("Offloaded call to " + this.site.getDescription() + " on executor '"
					+ this.site.getExecutor().getName() + "' failed", ex);
		}
	}

	@Override
	public String toString() {
		return "OffloadCall[" + this.site + "] " + super.toString();
	}

}
