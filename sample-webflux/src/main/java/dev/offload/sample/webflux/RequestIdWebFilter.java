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

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an id: the {@code X-Request-Id} header when the client sends a
 * sensible one, a fresh one otherwise. The id goes back to the client in the
 * {@code X-Request-Id} response header, and into the Reactor {@code Context} of the rest
 * of the request as {@code requestId}, from where automatic context propagation puts it
 * into the MDC (see {@link RequestContext}). Runs before Spring Security.
 */
public class RequestIdWebFilter implements WebFilter {

	/**
	 * The request and response header.
	 */
	public static final String HEADER = "X-Request-Id";

	private static final Pattern SENSIBLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String header = exchange.getRequest().getHeaders().getFirst(HEADER);
		String requestId = (header != null && SENSIBLE.matcher(header).matches()) ? header : newId();
		exchange.getResponse().getHeaders().set(HEADER, requestId);
		return chain.filter(exchange).contextWrite(Context.of(RequestContext.REQUEST_ID, requestId));
	}

	/**
	 * Eight hex digits. Not {@code UUID.randomUUID()}: its {@code SecureRandom} reads
	 * {@code /dev/urandom}, a blocking file read on the event loop.
	 */
	private static String newId() {
		return String.format("%08x", ThreadLocalRandom.current().nextInt());
	}

}
