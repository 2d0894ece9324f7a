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

import org.jspecify.annotations.Nullable;

/**
 * Observes each offloaded call with state of its own, such as a tracing span: made on the
 * caller thread with the call, told when a worker takes the call, in scope on the worker
 * while the body runs, and stopped exactly once, when the call's outcome is decided.
 * <p>
 * Where the {@link OffloadCallListener} counts calls per call site, an observer keeps
 * state per call; Offload's is the {@code offload.call} Micrometer observation. Called on
 * the hot path: an observer that has nothing to observe returns {@code null} from
 * {@link #callSubmitted(OffloadCallSite)}, and the call then costs nothing more. An
 * observer that throws is logged, and the call goes on.
 *
 * @since 0.1.0
 */
public interface OffloadCallObserver {

	/**
	 * An observer that observes nothing.
	 */
	OffloadCallObserver NONE = (site) -> null;

	/**
	 * Called on the caller thread when a call is made, before it is handed to a worker.
	 * @param site where the call was made
	 * @return the call's observation, passed to the other methods, or {@code null} to
	 * leave the call unobserved
	 */
	@Nullable Object callSubmitted(OffloadCallSite site);

	/**
	 * Called on the worker when it takes the call, before the caller's context is
	 * installed: the call's wait in the queue ends here.
	 * @param observation what {@link #callSubmitted(OffloadCallSite)} returned
	 */
	default void callStarted(Object observation) {
	}

	/**
	 * Called on the worker just before the body runs, inside the caller's context.
	 * @param observation what {@link #callSubmitted(OffloadCallSite)} returned
	 * @return what {@link #closeScope(Object)} needs, or {@code null}
	 */
	default @Nullable Object openScope(Object observation) {
		return null;
	}

	/**
	 * Called on the worker just after the body has returned or thrown, before the
	 * caller's future completes.
	 * @param scope what {@link #openScope(Object)} returned
	 */
	default void closeScope(Object scope) {
	}

	/**
	 * Called once per call when its outcome is decided, before the caller's future
	 * completes; on whichever thread decided it (the worker, the timeout, the caller's
	 * {@code cancel}, a rejection, shutdown).
	 * @param observation what {@link #callSubmitted(OffloadCallSite)} returned
	 * @param outcome how the call ended
	 * @param failure what the future completes with, if not a value
	 */
	default void callCompleted(Object observation, OffloadOutcome outcome, @Nullable Throwable failure) {
	}

}
