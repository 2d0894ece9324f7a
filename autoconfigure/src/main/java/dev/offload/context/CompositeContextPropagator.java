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

package dev.offload.context;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Applies several propagators in order and resets them in reverse. Allocates one array
 * per call for the snapshots, and none when no propagator captured anything; on the
 * worker, an array of what to put back only when some propagator has something (a clean
 * worker has nothing).
 */
final class CompositeContextPropagator implements ContextPropagator {

	private final ContextPropagator[] propagators;

	CompositeContextPropagator(List<? extends ContextPropagator> propagators) {
		this.propagators = propagators.toArray(new ContextPropagator[0]);
	}

	@Override
	public @Nullable Object capture() {
		ContextPropagator[] propagators = this.propagators;
		@Nullable Object[] snapshots = null;
		for (int i = 0; i < propagators.length; i++) {
			Object snapshot = propagators[i].capture();
			if (snapshot != null) {
				if (snapshots == null) {
					snapshots = new Object[propagators.length];
				}
				snapshots[i] = snapshot;
			}
		}
		return snapshots;
	}

	@Override
	public @Nullable Object restore(@Nullable Object captured) {
		@Nullable Object[] snapshots = (@Nullable Object[]) captured;
		ContextPropagator[] propagators = this.propagators;
		// On a clean worker no propagator has anything to put back: then no array either.
		@Nullable Object[] restored = null;
		int i = 0;
		try {
			for (; i < propagators.length; i++) {
				Object previous = propagators[i].restore((snapshots != null) ? snapshots[i] : null);
				if (previous != null) {
					if (restored == null) {
						restored = new Object[propagators.length];
					}
					restored[i] = previous;
				}
			}
		}
		catch (RuntimeException | Error ex) {
			try {
				resetFrom(i - 1, restored);
			}
			catch (RuntimeException | Error resetFailure) {
				ex.addSuppressed(resetFailure);
			}
			throw ex;
		}
		return restored;
	}

	@Override
	public void reset(@Nullable Object restored) {
		resetFrom(this.propagators.length - 1, (@Nullable Object[]) restored);
	}

	/**
	 * Resets every kind, in reverse order, even if one fails: a failure of one kind must
	 * not leave another caller's context on the worker. The first failure is thrown at
	 * the end, with the others suppressed.
	 */
	private void resetFrom(int last, @Nullable Object @Nullable [] restored) {
		Throwable failure = null;
		for (int i = last; i >= 0; i--) {
			try {
				this.propagators[i].reset((restored != null) ? restored[i] : null);
			}
			catch (RuntimeException | Error ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure instanceof RuntimeException runtimeException) {
			throw runtimeException;
		}
		if (failure instanceof Error error) {
			throw error;
		}
	}

	@Override
	public String toString() {
		return "CompositeContextPropagator" + List.of(this.propagators);
	}

}
