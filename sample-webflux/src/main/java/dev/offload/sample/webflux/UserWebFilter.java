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
import reactor.util.context.Context;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the name of the authenticated user into the Reactor {@code Context} as
 * {@code user}, for the MDC (see {@link RequestContext}). It sits in the Spring Security
 * filter chain after authentication (see {@link SecurityConfiguration}), where reactive
 * Spring Security keeps the {@link SecurityContext} in the Reactor {@code Context}
 * ({@link ReactiveSecurityContextHolder}), not in a {@code ThreadLocal}.
 */
public class UserWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter(UserWebFilter::isUser)
			.map(Authentication::getName)
			.flatMap((user) -> chain.filter(exchange)
				.contextWrite(Context.of(RequestContext.USER, user))
				.thenReturn(Boolean.TRUE))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(Boolean.TRUE)))
			.then();
	}

	private static boolean isUser(Authentication authentication) {
		return authentication.isAuthenticated() && !(authentication instanceof AnonymousAuthenticationToken);
	}

}
