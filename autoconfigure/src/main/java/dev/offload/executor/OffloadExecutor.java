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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;

import dev.offload.context.ContextPropagator;

/**
 * A named offload executor: one bulkhead. Subclasses say how a call reaches a thread;
 * this class owns what every kind shares: the caller's future, context capture, timeouts,
 * rejection as a failed future, and a shutdown that leaves no future incomplete.
 * <p>
 * Every call is tracked from submission until its future completes, so that shutdown can
 * find the calls that are queued or running wherever the underlying executor keeps them.
 *
 * @since 0.1.0
 */
public abstract class OffloadExecutor {

	private static final Log logger = LogFactory.getLog(OffloadExecutor.class);

	/**
	 * The kind of threads an executor runs calls on.
	 */
	public enum Type {

		/** A pool of platform threads. */
		PLATFORM("platform"),

		/** One virtual thread per call. */
		VIRTUAL("virtual");

		private final String value;

		Type(String value) {
			this.value = value;
		}

		@Override
		public String toString() {
			return this.value;
		}

	}

	private final String name;

	private final long timeoutNanos;

	private final Duration awaitTermination;

	private final ContextPropagator contextPropagator;

	private final Set<OffloadCall<?>> inFlight = ConcurrentHashMap.newKeySet();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder timedOut = new LongAdder();

	private final LongAdder nestedInline = new LongAdder();

	private final LongAdder listenerFailures = new LongAdder();

	private volatile boolean listenerFailureLogged;

	// Keyed by the method, not the call site: Offloader.timeout(..) makes new sites for
	// the same
	// method, which would grow the set and repeat the warning.
	private final Set<String> nestedMethods = ConcurrentHashMap.newKeySet();

	private final Object terminationMonitor = new Object();

	private volatile boolean shutdown;

	private @Nullable ScheduledExecutorService timeoutScheduler;

	private Executor completionExecutor = Runnable::run;

	private volatile OffloadCallListener callListener = OffloadCallListener.NONE;

	private @Nullable TaskDecorator taskDecorator;

	protected OffloadExecutor(String name, @Nullable Duration timeout, Duration awaitTermination,
			ContextPropagator contextPropagator) {
		this.name = name;
		this.timeoutNanos = (timeout != null) ? timeout.toNanos() : 0;
		this.awaitTermination = awaitTermination;
		this.contextPropagator = contextPropagator;
	}

	/**
	 * Returns the executor's name, as configured under {@code offload.executors}.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Returns the kind of threads the calls run on.
	 * @return the type
	 */
	public abstract Type getType();

	/**
	 * Returns the default timeout of calls on this executor.
	 * @return the timeout in nanoseconds, or 0 for none
	 */
	public long getTimeoutNanos() {
		return this.timeoutNanos;
	}

	/**
	 * Returns how long calls in flight may finish when the application shuts down.
	 * @return the await-termination period
	 */
	public Duration getAwaitTermination() {
		return this.awaitTermination;
	}

	/**
	 * Returns the number of calls whose body is running.
	 * @return the active count, or -1 if the executor cannot tell
	 */
	public abstract int getActiveCount();

	/**
	 * Returns the number of calls waiting for a thread (or, on a virtual executor, a
	 * permit).
	 * @return the queued count, or -1 if the executor cannot tell
	 */
	public abstract int getQueueSize();

	/**
	 * Returns how many calls were rejected because the executor was saturated or shut
	 * down.
	 * @return the rejected count
	 */
	public long getRejectedCount() {
		return this.rejected.sum();
	}

	/**
	 * Returns how many calls timed out.
	 * @return the timed-out count
	 */
	public long getTimedOutCount() {
		return this.timedOut.sum();
	}

	/**
	 * Returns the number of calls in flight: submitted, and either their future is not
	 * yet complete or their body is still running.
	 * @return the in-flight count
	 */
	public int getInFlightCount() {
		return this.inFlight.size();
	}

	ContextPropagator getContextPropagator() {
		return this.contextPropagator;
	}

	/**
	 * Sets the listener told about every call on this executor.
	 * @param callListener the listener
	 */
	public void setCallListener(OffloadCallListener callListener) {
		this.callListener = callListener;
	}

	/**
	 * Sets the decorator applied to every call, inside the built-in context propagation.
	 * Set at startup, before the first call.
	 * @param taskDecorator the decorator, or {@code null} for none
	 */
	public void setTaskDecorator(@Nullable TaskDecorator taskDecorator) {
		this.taskDecorator = taskDecorator;
	}

	void setTimeoutScheduler(ScheduledExecutorService timeoutScheduler, Executor completionExecutor) {
		this.timeoutScheduler = timeoutScheduler;
		this.completionExecutor = completionExecutor;
	}

	/**
	 * Runs the completion of a timed-out call away from the timeout thread.
	 */
	void completeLater(Runnable completion) {
		this.completionExecutor.execute(completion);
	}

	/**
	 * Returns how many times the call listener threw; the calls went on regardless.
	 * @return the count of listener failures
	 */
	public long getListenerFailureCount() {
		return this.listenerFailures.sum();
	}

	<T> OffloadCall<T> submit(OffloadCallSite site, Object task) {
		OffloadCall<T> call = new OffloadCall<>(site, task, System.nanoTime());
		// Tracked before the shutdown check: close() then either sees the call or the
		// call
		// sees the shutdown, never neither.
		this.inFlight.add(call);
		try {
			call.capture(this.contextPropagator, this.taskDecorator);
		}
		catch (Throwable ex) {
			call.fail(ex);
			return call;
		}
		if (this.shutdown) {
			call.reject(new TaskRejectedException("Offload executor '" + this.name + "' is shut down; the call to "
					+ site.getDescription() + " was rejected"));
			return call;
		}
		long timeoutNanos = site.getTimeoutNanos();
		ScheduledExecutorService scheduler = this.timeoutScheduler;
		if (timeoutNanos > 0 && scheduler != null) {
			try {
				call.setTimeout(scheduler.schedule(call::timeOut, timeoutNanos, TimeUnit.NANOSECONDS));
			}
			catch (RejectedExecutionException ex) {
				call.reject(new TaskRejectedException("Offload executor '" + this.name + "' is shut down; the call to "
						+ site.getDescription() + " was rejected", ex));
				return call;
			}
		}
		OffloadCall<?> outer = OffloadCall.current();
		if (outer != null && outer.getSite().getExecutor() == this && nestedCallRunsInline(site, outer)) {
			call.run();
			return call;
		}
		try {
			execute(call);
		}
		catch (RejectedExecutionException ex) {
			call.reject(rejection(call, ex));
		}
		catch (Throwable ex) {
			call.fail(ex);
		}
		return call;
	}

	/**
	 * Decides where a call made from a body running on this executor goes. Queued behind
	 * calls that may be waiting for it, it could never start: the pool-starvation
	 * deadlock of every thread-pool bulkhead. So when no thread (or permit) is free, it
	 * runs on the calling worker, which would otherwise only wait; when one is free, it
	 * is queued as usual, so that a fan-out from a worker still runs in parallel.
	 */
	private boolean nestedCallRunsInline(OffloadCallSite site, OffloadCall<?> outer) {
		boolean inline = !hasIdleCapacity();
		if (inline) {
			this.nestedInline.increment();
		}
		if (this.nestedMethods.add(site.getDescription())) {
			logger.warn(site.getDescription() + " is offloaded to executor '" + this.name
					+ "' from a body running on that executor (" + outer.getSite().getDescription()
					+ "). Should the body wait for it while every thread is busy, it could never start; Offload then "
					+ "runs it on the calling worker instead. Prefer another executor for nested calls. "
					+ "(Logged once per method.)");
		}
		this.callListener.nestedCall(site, inline);
		return inline;
	}

	/**
	 * Returns whether a call submitted now would start at once, rather than wait in a
	 * queue.
	 * @return whether a thread or permit is free
	 */
	protected abstract boolean hasIdleCapacity();

	/**
	 * Returns how many calls, made from a body running on this executor while it had no
	 * free thread, ran on the calling worker.
	 * @return the count of nested calls run inline
	 */
	public long getNestedInlineCount() {
		return this.nestedInline.sum();
	}

	private RejectedExecutionException rejection(OffloadCall<?> call, RejectedExecutionException ex) {
		String what = "the call to " + call.getSite().getDescription() + " was rejected";
		if (this.shutdown || isShutDown()) {
			return new TaskRejectedException("Offload executor '" + this.name + "' is shut down; " + what, ex);
		}
		return new TaskRejectedException("Offload executor '" + this.name + "' is saturated (" + describeCapacity()
				+ "); " + what + ". Raise its capacity under offload.executors." + this.name
				+ ", or shed load before it reaches the executor", ex);
	}

	/**
	 * Hands the call to a thread, or throws if the executor cannot take it now.
	 * @param call the call to run
	 * @throws RejectedExecutionException if the executor is saturated or shut down
	 */
	protected abstract void execute(OffloadCall<?> call) throws RejectedExecutionException;

	/**
	 * Removes a call that has not started from the executor's queue, if it can.
	 * @param call the call
	 */
	protected abstract void remove(OffloadCall<?> call);

	/**
	 * Describes the executor's capacity for a saturation message.
	 * @return e.g. {@code "10 of 10 threads busy, queue of 100 full"}
	 */
	protected abstract String describeCapacity();

	/**
	 * Returns whether the underlying executor no longer accepts calls.
	 * @return whether it is shut down
	 */
	protected abstract boolean isShutDown();

	/**
	 * Stops accepting calls; queued calls may still start.
	 */
	protected abstract void initiateShutdown();

	/**
	 * Returns whether all threads started for calls have ended.
	 * @return whether the executor has terminated
	 */
	protected abstract boolean isTerminated();

	/**
	 * Removes every queued call, so that none starts; their futures are completed by the
	 * caller.
	 */
	protected abstract void clearQueue();

	/**
	 * Interrupts the threads still running and lets them end.
	 */
	protected abstract void shutdownNow();

	void callStarted(OffloadCall<?> call) {
		OffloadCallListener listener = this.callListener;
		if (listener != OffloadCallListener.NONE) {
			try {
				listener.callStarted(call.getSite(), System.nanoTime() - call.getStartNanos());
			}
			catch (Throwable ex) {
				listenerFailed(call, ex);
			}
		}
	}

	/**
	 * Does the executor's bookkeeping of a call whose outcome was just decided, before
	 * its future completes. Never throws: a failing listener must not leave a future
	 * incomplete.
	 */
	void callCompleted(OffloadCall<?> call, OffloadOutcome outcome, @Nullable Throwable ex) {
		if (outcome == OffloadOutcome.REJECTED) {
			this.rejected.increment();
		}
		else if (outcome == OffloadOutcome.TIMEOUT) {
			this.timedOut.increment();
		}
		OffloadCallListener listener = this.callListener;
		if (listener != OffloadCallListener.NONE) {
			try {
				listener.callCompleted(call.getSite(), outcome, System.nanoTime() - call.getStartNanos());
			}
			catch (Throwable failure) {
				listenerFailed(call, failure);
			}
		}
		if (ex != null && call.getSite().isFireAndForget()) {
			call.logFailure(ex);
		}
	}

	private void listenerFailed(OffloadCall<?> call, Throwable ex) {
		this.listenerFailures.increment();
		String message = "The call listener of offload executor '" + this.name + "' failed for the call to "
				+ call.getSite().getDescription() + "; the call goes on";
		if (!this.listenerFailureLogged) {
			this.listenerFailureLogged = true;
			logger.warn(message + " (logged at WARN once, then at DEBUG)", ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, ex);
		}
	}

	/**
	 * Forgets a call once its future is complete and its body, if it ran, has returned;
	 * wakes a closing thread waiting for the executor to become quiet.
	 */
	void untrack(OffloadCall<?> call) {
		if (this.inFlight.remove(call) && this.shutdown) {
			synchronized (this.terminationMonitor) {
				this.terminationMonitor.notifyAll();
			}
		}
	}

	// Shutdown, in the order OffloadExecutors drives it for all executors at once.

	void beginShutdown() {
		this.shutdown = true;
		initiateShutdown();
	}

	boolean isQuiet() {
		return this.inFlight.isEmpty() && isTerminated();
	}

	/**
	 * Waits until every call has completed and every thread has ended, or the deadline
	 * passes. Polls as well as waits, because thread termination sends no signal.
	 */
	boolean awaitQuiet(long deadlineNanos) throws InterruptedException {
		while (!isQuiet()) {
			long remaining = deadlineNanos - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			synchronized (this.terminationMonitor) {
				this.terminationMonitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remaining), 10)));
			}
		}
		return true;
	}

	/**
	 * Rejects the calls that have not started and interrupts the bodies still running,
	 * including those whose future is already complete.
	 */
	void cutOff() {
		List<OffloadCall<?>> calls = new ArrayList<>(this.inFlight);
		List<OffloadCall<?>> queued = new ArrayList<>();
		// First empty the queue, so that no worker starts a queued call from now on;
		// interrupt
		// the running bodies through their calls, which marks them cut off, before
		// rejecting
		// the many queued calls; only then let the executor interrupt its threads.
		clearQueue();
		for (OffloadCall<?> call : calls) {
			if (call.hasStarted()) {
				call.shutDown(false);
			}
			else {
				queued.add(call);
			}
		}
		for (OffloadCall<?> call : queued) {
			call.shutDown(false);
		}
		shutdownNow();
	}

	/**
	 * Completes the future of every call still in flight, so that none is left hanging.
	 * @return the number of calls whose body was still running
	 */
	int forceComplete() {
		List<OffloadCall<?>> remaining = new ArrayList<>(this.inFlight);
		int cut = 0;
		for (OffloadCall<?> call : remaining) {
			if (call.shutDown(true)) {
				cut++;
			}
		}
		if (cut > 0) {
			logger.warn("Offload executor '" + this.name + "' shut down with " + cut
					+ " call(s) still running after their interrupt; their futures were completed exceptionally");
		}
		return cut;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + "]";
	}

}
