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

package dev.offload.sample.webflux;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import dev.offload.Offload;
import dev.offload.ReactiveOffloader;
import dev.offload.sample.support.CallResult;

/**
 * The blocking calls, offloaded: each {@code @Offload} method returns a lazy
 * {@code Mono}; each subscription runs the method's body on a worker of its named
 * executor, with the context of the subscriber (the request id and the user, from the
 * Reactor {@code Context}), and signals its value from there. Cancelling the subscription
 * (the client went away) interrupts the body, and the legacy client, which cannot be
 * annotated, goes through the {@link ReactiveOffloader}, the {@code Offloader}'s reactive
 * form.
 */
@Service
public class OffloadedCalls {

	private final BlockingCalls calls;

	private final ReactiveOffloader legacy;

	OffloadedCalls(BlockingCalls calls, ReactiveOffloader offloader) {
		this.calls = calls;
		this.legacy = offloader.executor("legacy");
	}

	/**
	 * The products low in stock, on the {@code jdbc} executor.
	 * @return the result
	 */
	@Offload("jdbc")
	public Mono<CallResult> lowStock() {
		return Mono.just(this.calls.lowStock("jdbc"));
	}

	/**
	 * The orders per status, on the {@code jdbc} executor.
	 * @return the result
	 */
	@Offload("jdbc")
	public Mono<CallResult> orderSummary() {
		return Mono.just(this.calls.orderSummary("jdbc"));
	}

	/**
	 * The slow upstream, on the {@code http} executor.
	 * @return the result
	 */
	@Offload("http")
	public Mono<CallResult> upstream() {
		return Mono.just(this.calls.upstream("http"));
	}

	/**
	 * An upstream call that takes {@code sample.slow-report.delay} (2s), longer than the
	 * 500ms this method allows it: a {@link java.util.concurrent.TimeoutException}, and
	 * the worker is interrupted, which ends its wait on the socket. The {@code Mono}
	 * signals the {@code TimeoutException}.
	 * @return the result, never in time
	 */
	@Offload(value = "http", timeout = "500ms")
	public Mono<CallResult> slowReport() {
		return Mono.just(this.calls.slowReport("http"));
	}

	/**
	 * The legacy warehouse client, wrapped with the {@code ReactiveOffloader} on the
	 * {@code legacy} executor: a lazy {@code Mono}, one call per subscription.
	 * @return the result
	 */
	public Mono<CallResult> warehouse() {
		return this.legacy.mono(() -> this.calls.warehouse("legacy"));
	}

}
