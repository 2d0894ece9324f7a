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

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.Offloader;
import dev.offload.ReactiveOffloader;
import dev.offload.sample.support.CallResult;

/**
 * The sample's HTTP API, on WebFlux: every handler runs on a Netty event-loop thread
 * ({@code reactor-http-nio-N}), of which there are only a few. The offloading endpoints
 * return a {@code Mono} whose blocking body runs on a worker of an offload executor, so
 * the event loop is free to serve other requests meanwhile;
 * {@code GET /api/blocking-on-loop} makes the same blocking call on the event loop.
 */
@RestController
@RequestMapping("/api")
public class ApiController {

	private final OffloadedCalls offloaded;

	private final BlockingCalls blocking;

	private final Offloader offloader;

	private final ReactiveOffloader reactiveOffloader;

	private final Duration deadline;

	ApiController(OffloadedCalls offloaded, BlockingCalls blocking, Offloader offloader,
			ReactiveOffloader reactiveOffloader, SampleProperties properties) {
		this.offloaded = offloaded;
		this.blocking = blocking;
		this.offloader = offloader;
		this.reactiveOffloader = reactiveOffloader;
		this.deadline = properties.fanOut().deadline();
	}

	/**
	 * A trivial answer, as fast as the event loop can give it.
	 * @return {@code pong}
	 */
	@GetMapping("/ping")
	public Mono<String> ping() {
		return Mono.just("pong from " + Thread.currentThread().getName());
	}

	/**
	 * A JDBC query, offloaded to the {@code jdbc} executor.
	 * @return the call as its worker saw it
	 */
	@GetMapping("/low-stock")
	public Mono<CallResult> lowStock() {
		return this.offloaded.lowStock();
	}

	/**
	 * A JDBC aggregate query, offloaded to the {@code jdbc} executor.
	 * @return the call as its worker saw it
	 */
	@GetMapping("/orders")
	public Mono<CallResult> orders() {
		return this.offloaded.orderSummary();
	}

	/**
	 * The slow upstream through a blocking {@code RestClient}, offloaded to the
	 * {@code http} executor.
	 * @return the call as its worker saw it
	 */
	@GetMapping("/upstream")
	public Mono<CallResult> upstream() {
		return this.offloaded.upstream();
	}

	/**
	 * The legacy warehouse client, offloaded with the {@code Offloader} to the
	 * {@code legacy} executor.
	 * @return the call as its worker saw it
	 */
	@GetMapping("/warehouse")
	public Mono<CallResult> warehouse() {
		return this.offloaded.warehouse();
	}

	/**
	 * An upstream call that outlasts its 500ms timeout: answered with 504 by
	 * {@link ApiExceptionHandler}.
	 * @return a {@code Mono} that fails with a {@code TimeoutException}
	 */
	@GetMapping("/timeout")
	public Mono<CallResult> timeout() {
		return this.offloaded.slowReport();
	}

	/**
	 * The four blocking calls in parallel, each on its own executor, as one structured
	 * group ({@link OffloadScope}): the total is about the slowest call, not the sum; the
	 * first failure cancels the others, and the group has one deadline
	 * ({@code sample.fan-out.deadline}). Nothing starts before the {@code Mono} is
	 * subscribed.
	 * @return the combined answer
	 */
	@GetMapping("/fanout")
	public Mono<FanOutResponse> fanOut() {
		return Mono.deferContextual((context) -> {
			long start = System.nanoTime();
			OffloadScope scope = this.offloader.scope(this.deadline);
			// Each member subscribes to its Mono here, inside the scope and with the
			// request's Context: its call belongs to the group and inherits its deadline.
			List<Member<CallResult>> members = Stream
				.of(this.offloaded.lowStock(), this.offloaded.orderSummary(), this.offloaded.upstream(),
						this.offloaded.warehouse())
				.map((call) -> scope.fork(() -> call.contextWrite(context).toFuture()))
				.toList();
			return this.reactiveOffloader.join(scope,
					() -> FanOutResponse.of(context.getOrDefault(RequestContext.REQUEST_ID, null),
							context.getOrDefault(RequestContext.USER, null), start,
							members.stream().map(Member::get).toList()));
		});
	}

	/**
	 * What not to do: the same blocking upstream call as {@code GET /api/upstream}, made
	 * by the handler itself, on the event-loop thread. While it waits, that thread serves
	 * no other request: every connection it owns stalls. With BlockHound installed (as in
	 * the sample's tests), the call fails with a {@code BlockingOperationError} instead.
	 * @return the call as the event-loop thread saw it
	 */
	@GetMapping("/blocking-on-loop")
	public CallResult blockingOnLoop() {
		return this.blocking.upstream("none");
	}

}
