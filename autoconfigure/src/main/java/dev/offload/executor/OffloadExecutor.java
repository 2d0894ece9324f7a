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
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

import dev.offload.context.ContextPropagator;

/**
 * A named offload executor: one bulkhead. Subclasses say how a call reaches a thread;
 * this class owns what every kind shares: the caller's future, context capture, timeouts,
 * rejection as a failed future, and a shutdown that leaves no future incomplete.
 * <p>
 * Every call is tracked from submission until its future completes, so that shutdown can
 * find the calls that are queued or running wherever the underlying executor keeps them.
 * <p>
 * What the executor is configured with (name, timeouts, context propagation, task
 * decorator) is held by its base class {@code ExecutorSettings}; submission is
 * {@code CallSubmission}, the nested-call policy {@code NestedCalls} and the shutdown
 * steps {@code ExecutorShutdown}.
 *
 * @since 0.1.0
 */
public abstract class OffloadExecutor extends ExecutorSettings {

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

	private final InFlightCalls inFlight = new InFlightCalls();

	private final CallAccounting accounting;

	private final NestedCalls nestedCalls;

	private volatile boolean shutdown;

	/**
	 * Creates an executor.
	 * @param name the executor's name
	 * @param timeout the default timeout of calls, or {@code null} for none
	 * @param awaitTermination how long calls in flight may finish at shutdown
	 * @param contextPropagator what the worker gets from the caller
	 */
	protected OffloadExecutor(String name, @Nullable Duration timeout, Duration awaitTermination,
			ContextPropagator contextPropagator) {
		super(name, timeout, awaitTermination, contextPropagator);
		this.accounting = new CallAccounting(name);
		this.nestedCalls = new NestedCalls(this);
	}

	/**
	 * Returns the kind of threads the calls run on.
	 * @return the type
	 */
	public abstract Type getType();

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
		return this.accounting.getRejectedCount();
	}

	/**
	 * Returns how many calls timed out.
	 * @return the timed-out count
	 */
	public long getTimedOutCount() {
		return this.accounting.getTimedOutCount();
	}

	/**
	 * Returns the number of calls in flight: submitted, and either their future is not
	 * yet complete or their body is still running.
	 * @return the in-flight count
	 */
	public int getInFlightCount() {
		return this.inFlight.size();
	}

	CallAccounting getAccounting() {
		return this.accounting;
	}

	/**
	 * Sets the listener told about every call on this executor.
	 * @param callListener the listener
	 */
	public void setCallListener(OffloadCallListener callListener) {
		this.accounting.setListener(callListener);
	}

	/**
	 * Makes the executor adaptive: from now on it follows the limiter's limit (threads of
	 * a pool, permits of a virtual executor), and each body it runs gives the limiter one
	 * sample. Set once, before the first call.
	 * @param limiter the limiter
	 * @throws UnsupportedOperationException if this kind of executor cannot follow a
	 * limit (an application's {@code Executor} bean)
	 */
	public void setLimiter(CallLimiter limiter) {
		applyLimit(limiter.getLimit());
		setLimiterField(limiter);
		limiter.onLimitChange(this::applyLimit);
	}

	/**
	 * Lets at most {@code limit} bodies run at once from now on; bodies already running
	 * go on.
	 * @param limit the new limit, 1 or more
	 */
	protected void applyLimit(int limit) {
		throw new UnsupportedOperationException("Offload executor '" + getName() + "' cannot follow an adaptive limit");
	}

	/**
	 * Completes a timed-out call away from the timeout thread.
	 */
	void completeLater(Runnable completion) {
		CallTimeouts timeouts = getTimeouts();
		if (timeouts != null) {
			timeouts.completeLater(completion);
		}
		else {
			completion.run();
		}
	}

	/**
	 * Returns how many times the call listener threw; the calls went on regardless.
	 * @return the count of listener failures
	 */
	public long getListenerFailureCount() {
		return this.accounting.getListenerFailureCount();
	}

	<T> OffloadCall<T> submit(OffloadCallSite site, Object task) {
		return CallSubmission.submit(this, site, task);
	}

	/**
	 * Returns whether {@link #beginShutdown()} was called: new calls are refused.
	 */
	boolean isClosing() {
		return this.shutdown;
	}

	NestedCalls getNestedCalls() {
		return this.nestedCalls;
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
		return this.nestedCalls.getInlineCount();
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

	/**
	 * Forgets a call once its future is complete and its body, if it ran, has returned.
	 */
	void untrack(OffloadCall<?> call) {
		this.inFlight.remove(call);
	}

	InFlightCalls getInFlight() {
		return this.inFlight;
	}

	/**
	 * Refuses new calls from now on; see {@link ExecutorShutdown}.
	 */
	void beginShutdown() {
		this.shutdown = true;
		this.inFlight.startClosing();
		initiateShutdown();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + getName() + "]";
	}

}
