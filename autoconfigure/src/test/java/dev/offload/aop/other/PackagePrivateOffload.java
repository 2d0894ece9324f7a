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

package dev.offload.aop.other;

import java.util.concurrent.CompletableFuture;

import dev.offload.Offload;

/**
 * A superclass in another package than its subclass, with a package-private
 * {@code @Offload} method that a class-based proxy of the subclass cannot override.
 */
public class PackagePrivateOffload {

	@Offload("io")
	CompletableFuture<String> hidden() {
		return CompletableFuture.completedFuture(Thread.currentThread().getName());
	}

}
