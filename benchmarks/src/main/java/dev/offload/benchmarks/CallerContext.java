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

import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.MDC;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The context of one benchmark thread, as a request thread would have it: one MDC entry
 * and an authenticated user. Set on the benchmark thread itself before each iteration.
 */
@State(Scope.Thread)
public class CallerContext {

	private static final AtomicInteger ids = new AtomicInteger();

	private final int id = ids.incrementAndGet();

	@Setup(Level.Iteration)
	public void enter() {
		MDC.put(Seen.KEY, "req-" + this.id);
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("user-" + this.id, "n/a"));
	}

	@TearDown(Level.Iteration)
	public void leave() {
		MDC.clear();
		SecurityContextHolder.clearContext();
	}

}
