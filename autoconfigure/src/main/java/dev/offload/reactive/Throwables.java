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

package dev.offload.reactive;

/**
 * Rethrows a throwable as it is, checked or not, so that a body's exception reaches the
 * call as the same instance.
 */
final class Throwables {

	private Throwables() {
	}

	@SuppressWarnings("unchecked")
	static <E extends Throwable> E sneaky(Throwable ex) throws E {
		throw (E) ex;
	}

}
