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

package dev.offload.benchmarks;

/**
 * One variant of an offloaded call: runs {@link Seen#look()} somewhere and waits for what
 * it saw (a round trip, as a caller that needs the result does).
 */
@FunctionalInterface
public interface RoundTrip {

	/**
	 * Runs the body and waits for its result.
	 * @return what the body saw
	 * @throws Exception if the call failed
	 */
	Seen call() throws Exception;

}
