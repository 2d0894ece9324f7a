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

package dev.offload.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Service;

import dev.offload.Offload;
import dev.offload.Offloader;
import dev.offload.sample.support.CallResult;
import dev.offload.sample.support.UpstreamClient;

/**
 * The blocking calls, offloaded: each {@code @Offload} method runs on a worker of its
 * named executor, and the legacy client, which cannot be annotated, goes through the
 * {@link Offloader}. Every method returns at once; the worker sees the caller's MDC and
 * authentication.
 */
@Service
public class OffloadedCalls {

	private static final Duration SLOW_CALL_TIMEOUT = Duration.ofMillis(500);

	private final BlockingCalls calls;

	private final UpstreamClient upstream;

	private final Offloader legacy;

	private final Offloader slowLegacy;

	private final SampleProperties properties;

	OffloadedCalls(BlockingCalls calls, UpstreamClient upstream, Offloader offloader, SampleProperties properties) {
		this.calls = calls;
		this.upstream = upstream;
		this.legacy = offloader.executor("legacy");
		this.slowLegacy = this.legacy.timeout(SLOW_CALL_TIMEOUT);
		this.properties = properties;
	}

	/**
	 * The products low in stock, on the {@code jdbc} executor.
	 * @return the result
	 */
	@Offload("jdbc")
	public CompletableFuture<CallResult> lowStock() {
		return CompletableFuture.completedFuture(this.calls.lowStock("jdbc"));
	}

	/**
	 * The orders per status, on the {@code jdbc} executor.
	 * @return the result
	 */
	@Offload("jdbc")
	public CompletableFuture<CallResult> orderSummary() {
		return CompletableFuture.completedFuture(this.calls.orderSummary("jdbc"));
	}

	/**
	 * The slow upstream, on the {@code http} executor.
	 * @return the result
	 */
	@Offload("http")
	public CompletableFuture<CallResult> upstream() {
		return CompletableFuture.completedFuture(this.calls.upstream("http"));
	}

	/**
	 * The slow upstream failing with 502 Bad Gateway, on the {@code http} executor.
	 * @return a future that fails
	 */
	@Offload("http")
	public CompletableFuture<CallResult> failingUpstream() {
		return CompletableFuture.completedFuture(this.calls.failingUpstream("http"));
	}

	/**
	 * The legacy warehouse client, wrapped with the {@code Offloader} on the
	 * {@code legacy} executor.
	 * @return the result
	 */
	public CompletableFuture<CallResult> warehouse() {
		return this.legacy.call(() -> this.calls.warehouse("legacy"));
	}

	/**
	 * An upstream call that takes {@code sample.slow-report.delay} (2s), longer than the
	 * 500ms this method allows it: the future fails with a
	 * {@link java.util.concurrent.TimeoutException} and the worker is interrupted, which
	 * ends its wait on the socket.
	 * @return a future that times out
	 */
	@Offload(value = "http", timeout = "500ms")
	public CompletableFuture<CallResult> slowReport() {
		return CompletableFuture.completedFuture(CallResult.measure("slowReport", "http",
				() -> this.upstream.fetch(this.properties.slowReport().delay())));
	}

	/**
	 * A query that makes the database work {@code sample.slow-report.delay} (2s), longer
	 * than the 500ms this method allows it: the future fails with a
	 * {@link java.util.concurrent.TimeoutException}, and the statement is cancelled on
	 * the database server, so the worker, its pooled connection and the server are free
	 * at once (on PostgreSQL, an interrupt alone would leave the query running).
	 * @return a future that times out
	 */
	@Offload(value = "jdbc", timeout = "500ms")
	public CompletableFuture<CallResult> slowQuery() {
		return CompletableFuture.completedFuture(this.calls.slowQuery("jdbc"));
	}

	/**
	 * A call of the legacy warehouse client that takes {@code sample.slow-report.delay}
	 * (2s), wrapped with the {@code Offloader} and a 500ms timeout: the future fails with
	 * a {@link java.util.concurrent.TimeoutException}, and the request's cancel hook
	 * aborts it, so the worker is free at once although the client ignores interrupts.
	 * @return a future that times out
	 */
	public CompletableFuture<CallResult> slowWarehouse() {
		return this.slowLegacy.call(() -> this.calls.slowWarehouse("legacy"));
	}

	/**
	 * An export that keeps a worker of the {@code tiny} executor (one thread, no queue)
	 * busy for {@code sample.export.delay}: while it runs, any other call to the executor
	 * is rejected.
	 * @return the result
	 */
	@Offload("tiny")
	public CompletableFuture<CallResult> export() {
		return CompletableFuture.completedFuture(
				CallResult.measure("export", "tiny", () -> this.upstream.fetch(this.properties.export().delay())));
	}

}
