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

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * HTTP Basic for everything but {@code /actuator/health}, with three demo users,
 * {@code alice} ({@code alice-pw}) and {@code bob} ({@code bob-pw}), and {@code admin}
 * ({@code admin-pw}), the only one who may resize an executor through the {@code offload}
 * endpoint's write operation (when
 * {@code management.endpoint.offload.access=unrestricted} allows writes at all).
 * Stateless: no session, every request authenticates.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests
			// Boot's error page (the JSON body of a 401, say) is shown to anyone.
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.requestMatchers("/actuator/health", "/actuator/health/**")
			.permitAll()
			// Resizing a live executor is for operators only.
			.requestMatchers(HttpMethod.POST, "/actuator/offload/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// A stateless GET API authenticated with a header: no cookie for CSRF to
			// abuse.
			.csrf((csrf) -> csrf.disable())
			.addFilterAfter(new UserMdcFilter(), BasicAuthenticationFilter.class)
			.build();
	}

	@Bean
	UserDetailsService users() {
		// Demo users with plain-text passwords ({noop}). A real application stores
		// hashes; note that
		// with HTTP Basic and no session, a BCrypt hash is checked on every request (tens
		// of ms of CPU).
		// Exposed as a plain UserDetailsService, not the manager itself: Spring Security
		// upgrades the
		// stored password of a UserDetailsPasswordService to BCrypt at the first login,
		// which would
		// then cost every request that BCrypt check.
		InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice-pw").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob-pw").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin-pw").roles("USER", "ADMIN").build());
		return manager::loadUserByUsername;
	}

}
