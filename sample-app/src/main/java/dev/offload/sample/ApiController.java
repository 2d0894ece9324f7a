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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.Offloader;
import dev.offload.sample.support.CallResult;

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

	private static final List<String> NAMES = List.of("lowStock", "orderSummary", "upstream", "warehouse");

	private static final long MAX_WAREHOUSE_DELAY_MILLIS = 30_000;

	private static final List<String> EXECUTORS = List.of("jdbc", "jdbc", "http", "legacy");

	private final OffloadedCalls offloaded;

	private final BlockingCalls blocking;

	private final int exportCalls;

	private final Offloader offloader;

	private final Duration deadline;

	ApiController(OffloadedCalls offloaded, BlockingCalls blocking, Offloader offloader, SampleProperties properties) {
		this.offloaded = offloaded;
		this.blocking = blocking;
		this.offloader = offloader;
		this.exportCalls = properties.export().calls();
		this.deadline = properties.fanOut().deadline();
	}

	/**
	 * Starts the four blocking calls in parallel, each on its own executor, as one
	 * structured group ({@link OffloadScope}): the total is about the slowest call, not
	 * the sum. The first failure cancels the other calls at once (interrupting their
	 * bodies), and the group has one deadline.
	 * @param principal the authenticated user
	 * @param fail {@code upstream} to make the upstream fail after 50ms
	 * @param deadline the group's deadline, such as {@code 120ms}; else
	 * {@code sample.fan-out.deadline}
	 * @return the combined answer: 200, or for a failed group 502 (504 when its deadline
	 * elapsed) with each member's outcome and how long it held its thread
	 */
	@GetMapping("/fanout")
	public CompletableFuture<ResponseEntity<FanOutResponse>> fanOut(Principal principal,
			@RequestParam(required = false) @Nullable String fail,
			@RequestParam(required = false) @Nullable String deadline) {
		long start = System.nanoTime();
		String requestId = MDC.get(RequestIdFilter.MDC_KEY);
		logger.info("fan-out: starting 4 blocking calls");
		OffloadScope scope = this.offloader
			.scope((deadline != null) ? DurationStyle.detectAndParse(deadline) : this.deadline);
		List<Member<CallResult>> members = List.of(scope.fork(this.offloaded::lowStock),
				scope.fork(this.offloaded::orderSummary), "upstream".equals(fail)
						? scope.fork(this.offloaded::failingUpstream) : scope.fork(this.offloaded::upstream),
				scope.fork(this.offloaded::warehouse));
		return scope.join(() -> answer(requestId, principal.getName(), start, members, null))
			.exceptionallyCompose((ex) -> {
				// Answer once every thread of the group is free, to show how long each
				// cancelled body held its thread.
				long failedAt = System.nanoTime();
				return scope.released()
					.completeOnTimeout(null, 2, TimeUnit.SECONDS)
					.thenApply((released) -> answer(requestId, principal.getName(),
							start + (System.nanoTime() - failedAt), members, unwrap(ex)));
			});
	}

	private static ResponseEntity<FanOutResponse> answer(String requestId, String user, long start,
			List<Member<CallResult>> members, @Nullable Throwable failure) {
		List<CallResult> calls = members.stream()
			.filter((member) -> member.state() == Member.State.SUCCEEDED)
			.map(Member::get)
			.toList();
		List<MemberOutcome> outcomes = new ArrayList<>();
		for (int i = 0; i < members.size(); i++) {
			outcomes.add(MemberOutcome.of(NAMES.get(i), EXECUTORS.get(i), members.get(i)));
		}
		FanOutResponse response = FanOutResponse.of(requestId, user, start, calls, outcomes, failure);
		logger.info("fan-out: " + response.outcome() + " in " + response.totalMillis() + " ms (the calls took "
				+ response.sumOfCallMillis() + " ms together)");
		HttpStatus status = (failure == null) ? HttpStatus.OK
				: (failure instanceof TimeoutException) ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
		return ResponseEntity.status(status).body(response);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
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
	 * One call of the legacy warehouse client, on the {@code legacy} executor, whose
	 * limit adapts: under concurrent load, this is the endpoint that shows it move.
	 * @return the result
	 */
	@GetMapping("/warehouse")
	public CompletableFuture<CallResult> warehouse() {
		return this.offloaded.warehouse();
	}

	/**
	 * Makes the warehouse slower or faster while the application runs: the delay the
	 * legacy client asks its server for, from the next call on (the fan-out's, the
	 * sequential requests' and {@code GET /api/warehouse}'s).
	 * @param millis the new delay, 0 to 30000 ms
	 * @return the new delay and the one before
	 */
	@PutMapping("/warehouse/delay")
	public WarehouseDelay warehouseDelay(@RequestParam long millis) {
		if (millis < 0 || millis > MAX_WAREHOUSE_DELAY_MILLIS) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"millis must be 0 to " + MAX_WAREHOUSE_DELAY_MILLIS + ", not " + millis);
		}
		Duration previous = this.blocking.setWarehouseDelay(Duration.ofMillis(millis));
		logger.info("Warehouse delay " + previous.toMillis() + " ms -> " + millis + " ms");
		return new WarehouseDelay(millis, previous.toMillis());
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

	/**
	 * The answer of {@code PUT /api/warehouse/delay}.
	 *
	 * @param delayMs the warehouse's delay from now on
	 * @param previousDelayMs its delay until now
	 */
	public record WarehouseDelay(long delayMs, long previousDelayMs) {
	}

}
