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

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * What is fixed for every call made at one place: the executor, the timeout and the names
 * used in logs, messages and meters. Built once, at startup or at the first call, never
 * per call.
 *
 * @since 0.1.0
 */
public final class OffloadCallSite {

	private final OffloadExecutor executor;

	private final long timeoutNanos;

	private final String className;

	private final String methodName;

	private final String description;

	private final boolean fireAndForget;

	private final TaskKind taskKind;

	private volatile @Nullable Object listenerState;

	private volatile @Nullable Object observerState;

	/**
	 * What a call at a site hands over to run.
	 */
	public enum TaskKind {

		/**
		 * An AOP {@code MethodInvocation}: the {@code @Offload} method with its remaining
		 * advice.
		 */
		INVOCATION,

		/** A {@code Callable}. */
		CALLABLE,

		/** A {@code Runnable}. */
		RUNNABLE

	}

	/**
	 * Creates a call site.
	 * @param executor the executor the calls run on
	 * @param timeoutNanos the site's own timeout in nanoseconds, or 0 for the executor's
	 * default timeout, read at each call so that a change of it applies to the calls made
	 * from then on
	 * @param className the fully qualified name of the declaring class
	 * @param methodName the method's name
	 * @param description how the call is named in logs and messages, e.g.
	 * {@code Foo.bar(String)}
	 * @param fireAndForget whether the caller gets no future, so failures must be logged
	 * @param taskKind what the calls hand over to run
	 */
	public OffloadCallSite(OffloadExecutor executor, long timeoutNanos, String className, String methodName,
			String description, boolean fireAndForget, TaskKind taskKind) {
		this.executor = executor;
		this.timeoutNanos = timeoutNanos;
		this.className = className;
		this.methodName = methodName;
		this.description = description;
		this.fireAndForget = fireAndForget;
		this.taskKind = taskKind;
	}

	/**
	 * Returns the executor the calls run on.
	 * @return the executor
	 */
	public OffloadExecutor getExecutor() {
		return this.executor;
	}

	/**
	 * Returns the timeout of a call made now: the site's own, else the executor's
	 * default.
	 * @return the timeout in nanoseconds, or 0 for none
	 */
	public long getTimeoutNanos() {
		long own = this.timeoutNanos;
		return (own > 0) ? own : this.executor.getTimeoutNanos();
	}

	/**
	 * Returns the fully qualified name of the declaring class.
	 * @return the class name
	 */
	public String getClassName() {
		return this.className;
	}

	/**
	 * Returns the method's name.
	 * @return the method name
	 */
	public String getMethodName() {
		return this.methodName;
	}

	/**
	 * Returns how the call is named in logs and messages.
	 * @return e.g. {@code Foo.bar(String)}
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Returns whether the caller gets no future, so that failures are logged.
	 * @return whether the calls are fire-and-forget
	 */
	public boolean isFireAndForget() {
		return this.fireAndForget;
	}

	/**
	 * Returns what the calls hand over to run.
	 * @return the task kind
	 */
	public TaskKind getTaskKind() {
		return this.taskKind;
	}

	/**
	 * Returns what the {@link OffloadCallListener} keeps for this site, such as its
	 * meters, so that it finds them without a lookup per call and they go away with the
	 * site.
	 * @return the state, or {@code null} if none was set
	 */
	public @Nullable Object getListenerState() {
		return this.listenerState;
	}

	/**
	 * Sets what the {@link OffloadCallListener} keeps for this site. One listener owns
	 * the slot; it should check that a state it reads is its own.
	 * @param listenerState the state
	 */
	public void setListenerState(@Nullable Object listenerState) {
		this.listenerState = listenerState;
	}

	/**
	 * Returns what the {@link OffloadCallObserver} keeps for this site, such as the key
	 * values of its observations, so that they are built once per site, not per call.
	 * @return the state, or {@code null} if none was set
	 */
	public @Nullable Object getObserverState() {
		return this.observerState;
	}

	/**
	 * Sets what the {@link OffloadCallObserver} keeps for this site. One observer owns
	 * the slot; it should check that a state it reads is its own.
	 * @param observerState the state
	 */
	public void setObserverState(@Nullable Object observerState) {
		this.observerState = observerState;
	}

	/**
	 * Submits a call to this site's executor.
	 * @param <T> the type of the result
	 * @param task a {@code MethodInvocation}, {@code Callable} or {@code Runnable}, as
	 * {@link #getTaskKind()} says
	 * @return the caller's future, already completed exceptionally if the call was
	 * rejected
	 */
	public <T> OffloadCall<T> submit(Object task) {
		return this.executor.submit(this, task);
	}

	String formatTimeout() {
		long millis = TimeUnit.NANOSECONDS.toMillis(getTimeoutNanos());
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	@Override
	public String toString() {
		return this.description + " on executor '" + this.executor.getName() + "'";
	}

}
