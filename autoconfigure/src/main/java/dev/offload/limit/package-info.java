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

/**
 * Adaptive limits: the concurrency limit of an executor that follows its downstream, as
 * TCP congestion control does. {@link dev.offload.limit.AdaptiveLimiter} is the
 * executor's {@link dev.offload.executor.CallLimiter}: it feeds each body's run time, and
 * whether the call was a drop, to an algorithm of Netflix's {@code concurrency-limits}
 * (Vegas, Gradient2 or AIMD) and keeps the limit within its bounds. Only loaded when an
 * executor sets {@code adaptive.enabled}, and then only with that library present.
 */
@NullMarked
package dev.offload.limit;

import org.jspecify.annotations.NullMarked;
