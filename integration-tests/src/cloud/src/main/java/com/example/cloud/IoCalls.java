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

package com.example.cloud;

import java.util.concurrent.CompletableFuture;

import dev.offload.Offload;

import org.springframework.stereotype.Service;

/**
 * Work offloaded to the `io` executor.
 */
@Service
public class IoCalls {

	/**
	 * Runs the body on an `io` worker.
	 * @param body what to run
	 * @return the name of the worker thread that ran it
	 */
	@Offload("io")
	public CompletableFuture<String> run(Runnable body) {
		body.run();
		return CompletableFuture.completedFuture(Thread.currentThread().getName());
	}

}
