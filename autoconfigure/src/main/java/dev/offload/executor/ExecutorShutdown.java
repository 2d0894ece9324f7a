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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The steps of one executor's shutdown, in the order {@link OffloadExecutors#close()}
 * drives them for all executors at once: stop accepting calls, wait for the calls in
 * flight to finish, cut off those that did not, give the interrupted bodies a grace
 * period, and complete whatever future is still incomplete.
 */
final class ExecutorShutdown {

	private static final Log logger = LogFactory.getLog(ExecutorShutdown.class);

	private ExecutorShutdown() {
	}

	/**
	 * Returns whether every call has completed and every thread has ended.
	 */
	static boolean isQuiet(OffloadExecutor executor) {
		return executor.getInFlight().isEmpty() && executor.isTerminated();
	}

	/**
	 * Waits until the executor is quiet, or the deadline passes. Polls as well as waits,
	 * because thread termination sends no signal.
	 * @return whether the executor became quiet
	 */
	static boolean awaitQuiet(OffloadExecutor executor, long deadlineNanos) throws InterruptedException {
		while (!isQuiet(executor)) {
			long remaining = deadlineNanos - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			executor.getInFlight().awaitChange(remaining);
		}
		return true;
	}

	/**
	 * Rejects the calls that have not started and interrupts the bodies still running,
	 * including those whose future is already complete.
	 */
	static void cutOff(OffloadExecutor executor) {
		// First empty the queue, so that no worker starts a queued call from now on; then
		// cut off the calls; only then let the executor interrupt its threads.
		executor.clearQueue();
		executor.getInFlight().cutOff();
		executor.shutdownNow();
	}

	/**
	 * Completes the future of every call still in flight, so that none is left hanging.
	 */
	static void forceComplete(OffloadExecutor executor) {
		int cut = executor.getInFlight().forceComplete();
		if (cut > 0) {
			logger.warn("Offload executor '" + executor.getName() + "' shut down with " + cut
					+ " call(s) still running after their interrupt; their futures were completed exceptionally");
		}
	}

}
