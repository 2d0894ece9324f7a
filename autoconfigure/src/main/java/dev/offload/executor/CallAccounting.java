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

import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Counts one executor's calls by outcome and tells its {@link OffloadCallListener} and
 * its {@link OffloadCallObserver} about them. Both are isolated: one that throws (a meter
 * registry or a tracer that fails) is logged and counted, and the call goes on, so that
 * no future is left incomplete by a listener.
 *
 * @see OffloadExecutor
 */
final class CallAccounting {

	private static final Log logger = LogFactory.getLog(CallAccounting.class);

	private final String executorName;

	private final LongAdder rejected = new LongAdder();

	private final LongAdder timedOut = new LongAdder();

	private final LongAdder listenerFailures = new LongAdder();

	private volatile boolean listenerFailureLogged;

	private volatile OffloadCallListener listener = OffloadCallListener.NONE;

	private volatile OffloadCallObserver observer = OffloadCallObserver.NONE;

	CallAccounting(String executorName) {
		this.executorName = executorName;
	}

	void setListener(OffloadCallListener listener) {
		this.listener = listener;
	}

	void setObserver(OffloadCallObserver observer) {
		this.observer = observer;
	}

	long getRejectedCount() {
		return this.rejected.sum();
	}

	long getTimedOutCount() {
		return this.timedOut.sum();
	}

	long getListenerFailureCount() {
		return this.listenerFailures.sum();
	}

	/**
	 * Called on the caller thread when a call is made, before it is tracked or captures
	 * the caller's context, so that every path that completes the call finds its
	 * observation.
	 * @return the call's observation, or {@code null} if the call is not observed
	 */
	@Nullable CallObservation callSubmitted(OffloadCallSite site) {
		OffloadCallObserver observer = this.observer;
		if (observer == OffloadCallObserver.NONE) {
			return null;
		}
		try {
			Object observation = observer.callSubmitted(site);
			return (observation != null) ? new CallObservation(observer, observation) : null;
		}
		catch (Throwable ex) {
			listenerFailed(site, ex, "observer");
			return null;
		}
	}

	/**
	 * Called on the worker when it takes a call, before the body runs.
	 */
	void callStarted(OffloadCall<?> call) {
		CallObservation observation = call.getObservation();
		if (observation != null) {
			try {
				observation.started();
			}
			catch (Throwable ex) {
				listenerFailed(call.getSite(), ex, "observer");
			}
		}
		OffloadCallListener listener = this.listener;
		if (listener != OffloadCallListener.NONE) {
			try {
				listener.callStarted(call.getSite(), System.nanoTime() - call.getStartNanos());
			}
			catch (Throwable ex) {
				listenerFailed(call.getSite(), ex, "listener");
			}
		}
	}

	/**
	 * Called on the worker just before the body runs.
	 * @return what {@link #closeScope(OffloadCall, Object)} needs, or {@code null}
	 */
	@Nullable Object openScope(OffloadCall<?> call) {
		CallObservation observation = call.getObservation();
		if (observation == null) {
			return null;
		}
		try {
			return observation.openScope();
		}
		catch (Throwable ex) {
			listenerFailed(call.getSite(), ex, "observer");
			return null;
		}
	}

	/**
	 * Called on the worker just after the body has returned or thrown.
	 */
	void closeScope(OffloadCall<?> call, Object scope) {
		CallObservation observation = call.getObservation();
		if (observation == null) {
			return;
		}
		try {
			observation.closeScope(scope);
		}
		catch (Throwable ex) {
			listenerFailed(call.getSite(), ex, "observer");
		}
	}

	/**
	 * Called once per call when its outcome is decided, before its future completes.
	 */
	void callCompleted(OffloadCall<?> call, OffloadOutcome outcome, @Nullable Throwable ex) {
		if (outcome == OffloadOutcome.REJECTED) {
			this.rejected.increment();
		}
		else if (outcome == OffloadOutcome.TIMEOUT) {
			this.timedOut.increment();
		}
		OffloadCallListener listener = this.listener;
		if (listener != OffloadCallListener.NONE) {
			try {
				listener.callCompleted(call.getSite(), outcome, System.nanoTime() - call.getStartNanos());
			}
			catch (Throwable failure) {
				listenerFailed(call.getSite(), failure, "listener");
			}
		}
		CallObservation observation = call.getObservation();
		if (observation != null) {
			try {
				observation.completed(outcome, ex);
			}
			catch (Throwable failure) {
				listenerFailed(call.getSite(), failure, "observer");
			}
		}
		if (ex != null && call.getSite().isFireAndForget()) {
			call.logFailure(ex);
		}
	}

	/**
	 * Called on the caller thread when a call is made from a body on the same executor.
	 */
	void nestedCall(OffloadCallSite site, boolean inline) {
		try {
			this.listener.nestedCall(site, inline);
		}
		catch (Throwable ex) {
			listenerFailed(site, ex, "listener");
		}
	}

	private void listenerFailed(OffloadCallSite site, Throwable ex, String role) {
		this.listenerFailures.increment();
		String message = "The call " + role + " of offload executor '" + this.executorName + "' failed for the call to "
				+ site.getDescription() + "; the call goes on";
		if (!this.listenerFailureLogged) {
			this.listenerFailureLogged = true;
			logger.warn(message + " (logged at WARN once, then at DEBUG)", ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, ex);
		}
	}

}
