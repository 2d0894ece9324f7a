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

/**
 * Told when an offloaded call starts on a worker and when its future completes; how
 * meters observe calls. Called on the hot path: implementations must be cheap and must
 * not throw.
 *
 * @since 0.1.0
 */
public interface OffloadCallListener {

	/**
	 * A listener that does nothing.
	 */
	OffloadCallListener NONE = new OffloadCallListener() {
	};

	/**
	 * Called on the worker when it takes the call, before the body runs.
	 * @param site where the call was made
	 * @param waitNanos how long the call waited, from the call until now
	 */
	default void callStarted(OffloadCallSite site, long waitNanos) {
	}

	/**
	 * Called once per call when its outcome is decided, before the caller's future
	 * completes.
	 * @param site where the call was made
	 * @param outcome how the call ended
	 * @param durationNanos how long the call took, from the call until now
	 */
	default void callCompleted(OffloadCallSite site, OffloadOutcome outcome, long durationNanos) {
	}

	/**
	 * Called on the caller thread when a call is made from a body running on the same
	 * executor.
	 * @param site where the nested call was made
	 * @param inline whether it runs on the calling worker because the executor had no
	 * free thread, rather than being queued
	 */
	default void nestedCall(OffloadCallSite site, boolean inline) {
	}

}
