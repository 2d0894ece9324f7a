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
 * How an offloaded call ended, as the {@code outcome} tag of the {@code offload.calls}
 * meter.
 *
 * @since 0.1.0
 */
public enum OffloadOutcome {

	/** The body returned normally and its value completed the caller's future. */
	SUCCESS("success"),

	/** The body threw, or returned a failed future. */
	ERROR("error"),

	/** The timeout elapsed before the body finished. */
	TIMEOUT("timeout"),

	/** The caller cancelled the future, or the call was cut off at shutdown. */
	CANCELLED("cancelled"),

	/** The executor was saturated or shut down, so the body never ran. */
	REJECTED("rejected");

	private final String tagValue;

	OffloadOutcome(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * Returns the value of the {@code outcome} tag.
	 * @return the tag value
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
