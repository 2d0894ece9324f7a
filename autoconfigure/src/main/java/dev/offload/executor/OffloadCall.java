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

	private final @Nullable Object context;

	private @Nullable Object task;

	private @Nullable Runnable decorated;

	private volatile int state;

	private volatile @Nullable OffloadOutcome outcome;

	private volatile @Nullable Thread runner;

	private volatile @Nullable ScheduledFuture<?> timeout;

	private volatile boolean cutOff;

	OffloadCall(OffloadCallSite site, Object task, @Nullable Object context, long startNanos) {
		this.site = site;
		this.task = task;
		this.context = context;
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

	long getStartNanos() {
		return this.startNanos;
	}

	void setTimeout(ScheduledFuture<?> timeout) {
		this.timeout = timeout;
		if (isDone()) {
			timeout.cancel(false);
		}
	}

	@Override
	public void run() {
		Thread current = Thread.currentThread();
		this.runner = current;
		if (!STATE.compareAndSet(this, NEW, RUNNING)) {
			this.runner = null;
			return;
		}
		OffloadExecutor executor = this.site.getExecutor();
		executor.callStarted(this);
		OffloadCall<?> outer = CURRENT.get();
		CURRENT.set(this);
		Object restored = executor.getContextPropagator().restore(this.context);
		try {
			Runnable decorated = this.decorated;
			if (decorated == null) {
				runBody();
			}
			else {
				runDecorated(decorated);
			}
		}
		finally {
			try {
				executor.getContextPropagator().reset(restored);
			}
			finally {
				CURRENT.set(outer);
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
		if (failure != null) {
			finish(null, failure, OffloadOutcome.ERROR, false);
		}
		else if (this.cutOff) {
			// Cut off at shutdown: a value returned after the interrupt is not a success.
			finish(null, cutOffException(), OffloadOutcome.CANCELLED, false);
		}
		else {
			settle(result);
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
		if (this.task != null || this.state != FINISHED) {
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

	/**
	 * Lets a {@code TaskDecorator} wrap the body; called on the caller thread, where the
	 * decorator captures its context.
	 */
	void decorate(TaskDecorator decorator) {
		this.decorated = decorator.decorate(this::runBody);
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
	 * see it.
	 */
	private void finishRun() {
		for (;;) {
			int s = this.state;
			if (s == RUNNING) {
				if (STATE.compareAndSet(this, RUNNING, FINISHED)) {
					break;
				}
			}
			else if (s == INTERRUPTING) {
				Thread.onSpinWait();
			}
			else {
				this.state = FINISHED;
				break;
			}
		}
		this.runner = null;
		Thread.interrupted();
	}

	@SuppressWarnings("unchecked")
	private void settle(@Nullable Object result) {
		if (result instanceof CompletableFuture<?> future && future.isDone() && !future.isCompletedExceptionally()) {
			finish((T) future.getNow(null), null, OffloadOutcome.SUCCESS, false);
		}
		else if (result instanceof CompletionStage<?> stage) {
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

	void timeOut() {
		OffloadCallSite site = this.site;
		String when = hasStarted() ? "while it was running (the body was interrupted)"
				: "before a worker took it (it will not run)";
		finish(null,
				new TimeoutException("Offloaded call to " + site.getDescription() + " on executor '"
						+ site.getExecutor().getName() + "' timed out after " + site.formatTimeout() + " " + when),
				OffloadOutcome.TIMEOUT, true);
	}

	void reject(RejectedExecutionException ex) {
		finish(null, ex, OffloadOutcome.REJECTED, false);
	}

	/**
	 * Cuts the call off at shutdown: a call that never started is rejected; a running
	 * body is interrupted and, if {@code force}, its future completed now rather than by
	 * the body.
	 */
	boolean shutDown(boolean force) {
		if (STATE.compareAndSet(this, NEW, DROPPED)) {
			this.site.getExecutor().remove(this);
			return finish(null,
					new RejectedExecutionException("Offload executor '" + this.site.getExecutor().getName()
							+ "' shut down before the call to " + this.site.getDescription() + " started"),
					OffloadOutcome.REJECTED, false);
		}
		interruptRunner(true);
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
	 * is decided. The outcome is claimed before the future completes, so that the
	 * executor's bookkeeping happens before any dependent stage runs.
	 */
	private boolean finish(@Nullable T value, @Nullable Throwable ex, OffloadOutcome outcome, boolean interrupt) {
		if (!OUTCOME.compareAndSet(this, null, outcome)) {
			return false;
		}
		ScheduledFuture<?> timeout = this.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		stop(interrupt);
		this.site.getExecutor().callCompleted(this, outcome, ex);
		if (ex == null) {
			super.complete(value);
		}
		else {
			super.completeExceptionally(ex);
		}
		return true;
	}

	/**
	 * Makes sure a body whose result is no longer wanted does no more work: a queued call
	 * is removed and will never run; a running one is interrupted if asked.
	 */
	private void stop(boolean interrupt) {
		if (STATE.compareAndSet(this, NEW, DROPPED)) {
			this.site.getExecutor().remove(this);
		}
		else if (interrupt) {
			interruptRunner(false);
		}
	}

	/**
	 * Interrupts a running body. {@code cutOff} marks it as cut off by shutdown before
	 * the interrupt lands, so that a body that returns normally afterwards still fails.
	 */
	private void interruptRunner(boolean cutOff) {
		if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
			try {
				this.cutOff = cutOff;
				Thread thread = this.runner;
				if (thread != null) {
					thread.interrupt();
				}
			}
			finally {
				this.state = INTERRUPTED;
			}
		}
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
