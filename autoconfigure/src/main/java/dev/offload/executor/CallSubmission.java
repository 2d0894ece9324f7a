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

import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskRejectedException;

/**
 * Submits a call to an executor, in the order every path relies on: make the call (with
 * the deadline it inherits, if any), start its observation, track it, capture the
 * caller's context, refuse it after shutdown, start its clock, run it inline if it is a
 * nested call no thread would take, else hand it over. Whatever goes wrong on the way is
 * a failed future, never an exception at the caller.
 *
 * @see OffloadExecutor#submit(OffloadCallSite, Object)
 */
final class CallSubmission {

	private CallSubmission() {
	}

	static <T> OffloadCall<T> submit(OffloadExecutor executor, OffloadCallSite site, Object task) {
		long now = System.nanoTime();
		OffloadCall<?> outer = CallRunner.current();
		ScopeMember<?> member = ScopeMember.forking();
		OffloadCall<T> call = (outer == null && member == null) ? new OffloadCall<>(site, task, now)
				: newCall(executor, site, task, now, outer, member);
		// Observed before it is tracked: whoever completes the call stops its
		// observation.
		CallObservation observation = executor.getAccounting().callSubmitted(site);
		if (observation != null) {
			call.observe(observation);
		}
		// Tracked before the shutdown check: see InFlightCalls.
		executor.getInFlight().add(call);
		if (member != null && call instanceof ScopedCall<?> scoped && member.adopt(scoped)) {
			// The scope failed or finished while the member was being forked.
			return call;
		}
		try {
			call.capture(executor.getContextPropagator(), executor.getTaskDecorator());
		}
		catch (Throwable ex) {
			call.fail(ex);
			return call;
		}
		if (executor.isClosing()) {
			call.reject(shutDown(executor, call, null));
			return call;
		}
		long timerNanos = (call instanceof ScopedCall) ? call.getTimerNanos(now) : site.getTimeoutNanos();
		if (timerNanos < 0) {
			// An inherited deadline that has passed already: the call never runs.
			call.expire();
			return call;
		}
		CallTimeouts timeouts = executor.getTimeouts();
		if (timerNanos > 0 && timeouts != null) {
			try {
				timeouts.schedule(call, timerNanos);
			}
			catch (RejectedExecutionException ex) {
				call.reject(shutDown(executor, call, ex));
				return call;
			}
		}
		if (outer != null && outer.getSite().getExecutor() == executor
				&& executor.getNestedCalls().runsInline(site, outer)) {
			call.run();
			return call;
		}
		try {
			executor.execute(call);
		}
		catch (RejectedExecutionException ex) {
			call.reject(rejection(executor, call, ex));
		}
		catch (Throwable ex) {
			call.fail(ex);
		}
		return call;
	}

	/**
	 * Makes a call where a deadline or a scope may be in force: from a body running on
	 * this thread, or inside a scope's {@code fork}. The call inherits the earliest
	 * deadline in force when that is earlier than its own timeout, unless the executor
	 * does not inherit deadlines. A worker that is not Offload's runs no body of a call,
	 * so a call from there inherits nothing.
	 */
	private static <T> OffloadCall<T> newCall(OffloadExecutor executor, OffloadCallSite site, Object task, long now,
			@Nullable OffloadCall<?> outer, @Nullable ScopeMember<?> member) {
		Deadline inherited = null;
		if (executor.isInheritDeadline()) {
			if (outer != null && outer.isBodyRunning()) {
				inherited = outer.getDeadline();
			}
			if (member != null) {
				inherited = Deadline.earlier(inherited, member.getScope().getDeadlineInForce());
			}
			long timeoutNanos = site.getTimeoutNanos();
			if (inherited != null && timeoutNanos > 0 && (now + timeoutNanos) - inherited.getNanos() <= 0) {
				// Its own timeout is shorter: it keeps it.
				inherited = null;
			}
		}
		if (inherited == null && member == null) {
			return new OffloadCall<>(site, task, now);
		}
		return new ScopedCall<>(site, task, now, inherited, member);
	}

	private static RejectedExecutionException shutDown(OffloadExecutor executor, OffloadCall<?> call,
			@Nullable RejectedExecutionException cause) {
		String message = "Offload executor '" + executor.getName() + "' is shut down; the call to "
				+ call.getSite().getDescription() + " was rejected";
		return (cause != null) ? new TaskRejectedException(message, cause) : new TaskRejectedException(message);
	}

	private static RejectedExecutionException rejection(OffloadExecutor executor, OffloadCall<?> call,
			RejectedExecutionException ex) {
		if (executor.isClosing() || executor.isShutDown()) {
			return shutDown(executor, call, ex);
		}
		String name = executor.getName();
		return new TaskRejectedException(
				"Offload executor '" + name + "' is saturated (" + executor.describeCapacity() + "); the call to "
						+ call.getSite().getDescription() + " was rejected. Raise its capacity under offload.executors."
						+ name + ", or shed load before it reaches the executor",
				ex);
	}

}
