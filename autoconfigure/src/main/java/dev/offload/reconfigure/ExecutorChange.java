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

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * What a resize of a running executor asks to change; {@code null} keeps a setting as it
 * is.
 *
 * @param coreSize the core size of a platform pool
 * @param maxSize the maximum size of a platform pool
 * @param queueCapacity the queue capacity
 * @param maxConcurrency the concurrency limit of a virtual executor
 * @param timeout the default timeout, as text ({@code 500ms}, {@code 5s}, {@code PT5S})
 * @param minLimit the lowest limit of an adaptive executor
 * @param maxLimit the highest limit of an adaptive executor
 * @since 0.1.0
 */
public record ExecutorChange(@Nullable Integer coreSize, @Nullable Integer maxSize, @Nullable Integer queueCapacity,
		@Nullable Integer maxConcurrency, @Nullable String timeout, @Nullable Integer minLimit,
		@Nullable Integer maxLimit) {

	/**
	 * Whether the change changes nothing.
	 * @return whether every setting is {@code null}
	 */
	public boolean isEmpty() {
		return !hasSizes() && !StringUtils.hasText(this.timeout);
	}

	/**
	 * Whether the change sets anything but the timeout.
	 * @return whether a size, capacity or limit is given
	 */
	public boolean hasSizes() {
		return this.coreSize != null || this.maxSize != null || this.queueCapacity != null
				|| this.maxConcurrency != null || this.minLimit != null || this.maxLimit != null;
	}

}
