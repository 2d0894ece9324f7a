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

package dev.offload.test.slice;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Service;

import dev.offload.Offload;

/**
 * A service with offloaded methods, which a {@code @WebMvcTest} leaves out unless it is
 * imported.
 */
@Service
public class GreetingService {

	private final List<String> audited = new CopyOnWriteArrayList<>();

	@Offload
	public CompletableFuture<String> threadName() {
		return CompletableFuture.completedFuture(Thread.currentThread().getName());
	}

	@Offload
	public void audit(String entry) {
		this.audited.add(entry + " on " + Thread.currentThread().getName());
	}

	public List<String> getAudited() {
		return this.audited;
	}

}
