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
package dev.offload.reconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * What the latest configuration refresh could not apply to the running executors: per
 * executor, the keys that only a restart applies ({@code pendingRestart}) and the reason
 * its new settings were refused ({@code refreshError}); and the keys of no running
 * executor (a new executor, a top-level {@code offload.*} key). The Actuator endpoint
 * shows it. Written by one refresh at a time, read from any thread.
 *
 * @since 0.1.0
 */
public final class ReconfigurationStatus {

	/**
	 * The name under which keys that belong to no running executor are kept.
	 */
	public static final String GLOBAL = "";

	private final Map<String, Map<String, String>> pendingRestart = new ConcurrentHashMap<>();

	private final Map<String, String> refreshErrors = new ConcurrentHashMap<>();

	/**
	 * Creates an empty status.
	 */
	public ReconfigurationStatus() {
	}

	/**
	 * Returns the keys of an executor that a restart would apply, with their configured
	 * values.
	 * @param executor the executor's name, or {@link #GLOBAL}
	 * @return the keys and values, empty when there are none
	 */
	public Map<String, String> getPendingRestart(String executor) {
		Map<String, String> pending = this.pendingRestart.get(executor);
		return (pending != null) ? pending : Collections.emptyMap();
	}

	/**
	 * Returns why the latest refresh left an executor's settings as they were.
	 * @param executor the executor's name
	 * @return the message (what is wrong and what to do), or {@code null} when its
	 * configuration was applied
	 */
	public @Nullable String getRefreshError(String executor) {
		return this.refreshErrors.get(executor);
	}

	/**
	 * Sets the keys of an executor that a restart would apply.
	 * @param executor the executor's name, or {@link #GLOBAL}
	 * @param pending the keys and their configured values
	 */
	public void setPendingRestart(String executor, Map<String, String> pending) {
		if (pending.isEmpty()) {
			this.pendingRestart.remove(executor);
		}
		else {
			this.pendingRestart.put(executor, Collections.unmodifiableMap(new LinkedHashMap<>(pending)));
		}
	}

	/**
	 * Sets or clears why the latest refresh left an executor's settings as they were.
	 * @param executor the executor's name
	 * @param error the message, or {@code null} to clear it
	 */
	public void setRefreshError(String executor, @Nullable String error) {
		if (error == null) {
			this.refreshErrors.remove(executor);
		}
		else {
			this.refreshErrors.put(executor, error);
		}
	}

}
