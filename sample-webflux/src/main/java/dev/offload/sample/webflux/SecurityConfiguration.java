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

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * HTTP Basic for everything but {@code /actuator/health}, with two demo users,
 * {@code alice} ({@code alice-pw}) and {@code bob} ({@code bob-pw}). Stateless: no
 * session, every request authenticates. Reactive Spring Security keeps the authentication
 * in the Reactor {@code Context}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.anyExchange()
				.authenticated())
			.httpBasic(Customizer.withDefaults())
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// No request cache either: it asks for the WebSession of every request, and
			// creating one moves the rest of the request off the event loop, to Reactor's
			// parallel threads (InMemoryWebSessionStore makes session ids on
			// boundedElastic, as SecureRandom may block).
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			// A stateless GET API authenticated with a header: no cookie for CSRF to
			// abuse.
			.csrf((csrf) -> csrf.disable())
			.addFilterAfter(new UserWebFilter(), SecurityWebFiltersOrder.AUTHENTICATION)
			.build();
	}

	/**
	 * Checks the passwords on the thread that asks, and never re-encodes them. Spring
	 * Security's default, for a {@code ReactiveUserDetailsService}, moves the check to
	 * Reactor's {@code boundedElastic} scheduler, as a BCrypt check costs tens of
	 * milliseconds of CPU: the rest of the request would then run there, not on the event
	 * loop. And it encodes a password stored in another format than BCrypt (the demo
	 * users' {@code {noop}}) with BCrypt at every login, to upgrade it, which costs as
	 * much and reads {@code SecureRandom} (a blocking call on the event loop, which
	 * BlockHound reported in the sample's tests).
	 */
	@Bean
	ReactiveAuthenticationManager authenticationManager(ReactiveUserDetailsService users) {
		UserDetailsRepositoryReactiveAuthenticationManager manager = new UserDetailsRepositoryReactiveAuthenticationManager(
				users);
		manager.setScheduler(Schedulers.immediate());
		manager.setPasswordEncoder(new NoUpgrade(PasswordEncoderFactories.createDelegatingPasswordEncoder()));
		return manager;
	}

	@Bean
	ReactiveUserDetailsService users() {
		// Demo users with plain-text passwords ({noop}). Exposed as a plain
		// ReactiveUserDetailsService, not the map itself: Spring Security upgrades the
		// stored password of a ReactiveUserDetailsPasswordService to BCrypt at the first
		// login, which would then cost every request a BCrypt check.
		MapReactiveUserDetailsService users = new MapReactiveUserDetailsService(
				User.withUsername("alice").password("{noop}alice-pw").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob-pw").roles("USER").build());
		return users::findByUsername;
	}

	/**
	 * A password encoder that checks passwords as its delegate does, and never asks for
	 * them to be encoded again.
	 */
	private record NoUpgrade(PasswordEncoder delegate) implements PasswordEncoder {

		@Override
		public @Nullable String encode(@Nullable CharSequence rawPassword) {
			return this.delegate.encode(rawPassword);
		}

		@Override
		public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
			return this.delegate.matches(rawPassword, encodedPassword);
		}

		@Override
		public boolean upgradeEncoding(@Nullable String encodedPassword) {
			return false;
		}

	}

}
