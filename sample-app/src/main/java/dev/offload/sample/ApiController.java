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

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The sample's HTTP API. The offloading endpoints return a {@link CompletableFuture}:
 * Spring MVC hands the request to the servlet container's async support, so the Tomcat
 * thread is free again while the workers run, and the answer is written when the future
 * completes.
 */
@RestController
@RequestMapping("/api")
public class ApiController {

	private static final Log logger = LogFactory.getLog(ApiController.class);

	private final OffloadedCalls offloaded;

	private final BlockingCalls blocking;

	private final int exportCalls;

	ApiController(OffloadedCalls offloaded, BlockingCalls blocking, SampleProperties properties) {
		this.offloaded = offloaded;
		this.blocking = blocking;
		this.exportCalls = properties.export().calls();
	}

	/**
	 * Starts the four blocking calls in parallel, each on its own executor, and combines
	 * them: the total is about the slowest call, not the sum.
	 * @param principal the authenticated user
	 * @return the combined answer
	 */
	@GetMapping("/fanout")
	public CompletableFuture<FanOutResponse> fanOut(Principal principal) {
		long start = System.nanoTime();
		String requestId = MDC.get(RequestIdFilter.MDC_KEY);
		logger.info("fan-out: starting 4 blocking calls");
		List<CompletableFuture<CallResult>> calls = List.of(this.offloaded.lowStock(), this.offloaded.orderSummary(),
				this.offloaded.upstream(), this.offloaded.warehouse());
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply((done) -> {
			FanOutResponse response = FanOutResponse.of(requestId, principal.getName(), start,
					calls.stream().map(CompletableFuture::join).toList());
			logger.info("fan-out: done in " + response.totalMillis() + " ms (the calls took "
					+ response.sumOfCallMillis() + " ms together)");
			return response;
		});
	}

	/**
	 * Makes the same four calls one after another on the request thread, without
	 * offloading, for comparison: the total is the sum, and the Tomcat thread is held all
	 * along.
	 * @param principal the authenticated user
	 * @return the combined answer
	 * @throws IOException if the warehouse cannot be reached
	 */
	@GetMapping("/sequential")
	public FanOutResponse sequential(Principal principal) throws IOException {
		long start = System.nanoTime();
		List<CallResult> calls = List.of(this.blocking.lowStock("none"), this.blocking.orderSummary("none"),
				this.blocking.upstream("none"), this.blocking.warehouse("none"));
		return FanOutResponse.of(MDC.get(RequestIdFilter.MDC_KEY), principal.getName(), start, calls);
	}

	/**
	 * Makes a call that outlasts its 500ms timeout: answered with 504 by
	 * {@link ApiExceptionHandler}. The dependency that is too slow: {@code http} (the
	 * default), an upstream call whose socket read ends with the worker's interrupt;
	 * {@code db}, a query that Offload cancels on the database server; {@code warehouse},
	 * the legacy client, whose request a cancel hook aborts.
	 * @param dependency {@code http}, {@code db} or {@code warehouse}
	 * @return a future that times out
	 */
	@GetMapping("/timeout")
	public CompletableFuture<CallResult> timeout(@RequestParam(defaultValue = "http") String dependency) {
		return switch (dependency) {
			case "http" -> this.offloaded.slowReport();
			case "db" -> this.offloaded.slowQuery();
			case "warehouse" -> this.offloaded.slowWarehouse();
			default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"dependency must be http, db or warehouse, not '" + dependency + "'");
		};
	}

	/**
	 * Fires {@code sample.export.calls} (2) exports at once at the {@code tiny} executor,
	 * which has one thread and no queue: the first takes the thread, the others are
	 * rejected at once, so the request is answered with 503 by
	 * {@link ApiExceptionHandler} (once the first has finished).
	 * @return a future that fails with the rejection
	 */
	@GetMapping("/saturated")
	public CompletableFuture<List<CallResult>> saturated() {
		List<CompletableFuture<CallResult>> exports = IntStream.range(0, this.exportCalls)
			.mapToObj((i) -> this.offloaded.export())
			.toList();
		return CompletableFuture.allOf(exports.toArray(CompletableFuture[]::new))
			.thenApply((done) -> exports.stream().map(CompletableFuture::join).toList());
	}

}
