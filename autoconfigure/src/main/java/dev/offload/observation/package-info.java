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
 * Each offloaded call as a Micrometer {@code Observation} (a tracing span): its context,
 * its convention, the observer that makes it, and the meter handler that keeps its meters
 * to {@code offload.calls} and {@code offload.wait}.
 */
@NullMarked
package dev.offload.observation;

import org.jspecify.annotations.NullMarked;
