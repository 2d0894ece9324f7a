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

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;
import org.springframework.util.Assert;

import dev.offload.context.ContextPropagator;

/**
 * What an {@link OffloadExecutor} is configured with: its name, the default timeout of
 * its calls, how long they may finish at shutdown, the context propagation and task
 * decorator applied to every call, whether calls inherit a deadline, and the shared
 * timer. Set at startup, before the first call, except the default timeout, which the
 * {@code offload} endpoint may change while calls run; read on every call.
 */
abstract class ExecutorSettings {

	private final String name;

	private volatile long timeoutNanos;

	private final Duration awaitTermination;

	private final ContextPropagator contextPropagator;

	private @Nullable CallTimeouts timeouts;

	private @Nullable TaskDecorator taskDecorator;

	private boolean inheritDeadline = true;

	private volatile @Nullable CallLimiter limiter;

	ExecutorSettings(String name, @Nullable Duration timeout, Duration awaitTermination,
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
	 * Returns the default timeout of calls on this executor.
	 * @return the timeout in nanoseconds, or 0 for none
	 */
	public long getTimeoutNanos() {
		return this.timeoutNanos;
	}

	/**
	 * Changes the default timeout of the calls made from now on at call sites that do not
	 * set their own; calls already made keep theirs.
	 * @param timeout the new timeout, positive
	 */
	public void setTimeout(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.timeoutNanos = timeout.toNanos();
	}

	/**
	 * Returns how long calls in flight may finish when the application shuts down.
	 * @return the await-termination period
	 */
	public Duration getAwaitTermination() {
		return this.awaitTermination;
	}

	ContextPropagator getContextPropagator() {
		return this.contextPropagator;
	}

	/**
	 * Sets the decorator applied to every call, inside the built-in context propagation.
	 * Set at startup, before the first call.
	 * @param taskDecorator the decorator, or {@code null} for none
	 */
	public void setTaskDecorator(@Nullable TaskDecorator taskDecorator) {
		this.taskDecorator = taskDecorator;
	}

	@Nullable TaskDecorator getTaskDecorator() {
		return this.taskDecorator;
	}

	/**
	 * Returns whether calls on this executor inherit the deadline in force where they are
	 * made (the time left to the calling body, or a scope's deadline).
	 * @return whether deadlines are inherited
	 */
	public boolean isInheritDeadline() {
		return this.inheritDeadline;
	}

	/**
	 * Sets whether calls on this executor inherit the deadline in force where they are
	 * made; when not, they keep their own timeout. Set at startup, before the first call.
	 * @param inheritDeadline whether to inherit deadlines
	 */
	public void setInheritDeadline(boolean inheritDeadline) {
		this.inheritDeadline = inheritDeadline;
	}

	/**
	 * Returns the limiter of an adaptive executor.
	 * @return the limiter, or {@code null} if the executor's sizes are fixed
	 */
	public @Nullable CallLimiter getLimiter() {
		return this.limiter;
	}

	void setLimiterField(CallLimiter limiter) {
		this.limiter = limiter;
	}

	void setTimeouts(CallTimeouts timeouts) {
		this.timeouts = timeouts;
	}

	@Nullable CallTimeouts getTimeouts() {
		return this.timeouts;
	}

}
