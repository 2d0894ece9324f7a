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

package dev.offload.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadOutcome;

/**
 * The context of an offloaded call's observation: where the call was made and, once it is
 * decided, how it ended.
 *
 * @since 0.1.0
 */
public class OffloadObservationContext extends Observation.Context {

	private final OffloadCallSite site;

	private volatile @Nullable OffloadOutcome outcome;

	/**
	 * Creates the context of one call.
	 * @param site where the call was made
	 */
	public OffloadObservationContext(OffloadCallSite site) {
		this.site = site;
	}

	/**
	 * Returns where the call was made: its executor, class and method.
	 * @return the call site
	 */
	public OffloadCallSite getSite() {
		return this.site;
	}

	/**
	 * Returns how the call ended.
	 * @return the outcome, or {@code null} while the call is pending
	 */
	public @Nullable OffloadOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the call ended, just before its observation stops.
	 * @param outcome the outcome
	 */
	public void setOutcome(OffloadOutcome outcome) {
		this.outcome = outcome;
	}

}
