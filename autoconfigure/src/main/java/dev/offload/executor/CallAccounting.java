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
 * Counts one executor's calls by outcome and tells its {@link OffloadCallListener} about
 * them. The listener is isolated: one that throws (a meter registry that fails) is logged
 * and counted, and the call goes on, so that no future is left incomplete by a listener.
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

	CallAccounting(String executorName) {
		this.executorName = executorName;
	}

	void setListener(OffloadCallListener listener) {
		this.listener = listener;
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
	 * Called on the worker when it takes a call, before the body runs.
	 */
	void callStarted(OffloadCall<?> call) {
		OffloadCallListener listener = this.listener;
		if (listener != OffloadCallListener.NONE) {
			try {
				listener.callStarted(call.getSite(), System.nanoTime() - call.getStartNanos());
			}
			catch (Throwable ex) {
				listenerFailed(call.getSite(), ex);
			}
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
				listenerFailed(call.getSite(), failure);
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
			listenerFailed(site, ex);
		}
	}

	private void listenerFailed(OffloadCallSite site, Throwable ex) {
		this.listenerFailures.increment();
		String message = "The call listener of offload executor '" + this.executorName + "' failed for the call to "
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
