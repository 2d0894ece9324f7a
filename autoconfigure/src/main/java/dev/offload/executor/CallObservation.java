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
 * An observed call's observation and the caller's context it captured, kept in the call's
 * context slot: a call that is not observed stays the one allocation it was.
 *
 * @see OffloadCallObserver
 */
final class CallObservation {

	private final OffloadCallObserver observer;

	private final Object observation;

	private @Nullable Object context;

	CallObservation(OffloadCallObserver observer, Object observation) {
		this.observer = observer;
		this.observation = observation;
	}

	void started() {
		this.observer.callStarted(this.observation);
	}

	@Nullable Object openScope() {
		return this.observer.openScope(this.observation);
	}

	void closeScope(Object scope) {
		this.observer.closeScope(scope);
	}

	void completed(OffloadOutcome outcome, @Nullable Throwable failure) {
		this.observer.callCompleted(this.observation, outcome, failure);
	}

	@Nullable Object getContext() {
		return this.context;
	}

	void setContext(@Nullable Object context) {
		this.context = context;
	}

}
