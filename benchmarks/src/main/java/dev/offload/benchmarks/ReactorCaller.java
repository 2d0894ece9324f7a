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

import io.micrometer.context.ContextRegistry;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.util.context.Context;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The context of one benchmark thread as a WebFlux request has it: not in thread locals
 * but in the Reactor {@code Context}, which a {@code WebFilter} wrote. Reactor's
 * automatic context propagation is on (what
 * {@code spring.reactor.context-propagation=auto} does), with one
 * {@code ThreadLocalAccessor} for the MDC entry {@value Seen#KEY} and Spring Security's
 * own for the {@code SecurityContextHolder}, so that thread locals are set from the
 * {@code Context} where Reactor restores them. The benchmark thread's own thread locals
 * stay empty: a variant sees the caller's context only through the Reactor
 * {@code Context}.
 */
@State(Scope.Thread)
public class ReactorCaller {

	/**
	 * The key of Spring Security's {@code SecurityContextHolderThreadLocalAccessor}.
	 */
	static final String SECURITY_KEY = SecurityContext.class.getName();

	private static final AtomicInteger ids = new AtomicInteger();

	static {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(Seen.KEY, () -> MDC.get(Seen.KEY), (value) -> MDC.put(Seen.KEY, value),
					() -> MDC.remove(Seen.KEY));
		Hooks.enableAutomaticContextPropagation();
	}

	private final int id = ids.incrementAndGet();

	/** The request's Reactor {@code Context}. */
	Context context;

	/** What the body must see. */
	Seen expected;

	@Setup(Level.Trial)
	public void enter() {
		String requestId = "req-" + this.id;
		String user = "user-" + this.id;
		this.context = context(requestId, user);
		this.expected = new Seen(requestId, user);
	}

	/**
	 * Returns the Reactor {@code Context} of a request.
	 * @param requestId its MDC entry
	 * @param user its user
	 * @return the {@code Context}
	 */
	static Context context(String requestId, String user) {
		return Context.of(Seen.KEY, requestId, SECURITY_KEY,
				new SecurityContextImpl(new TestingAuthenticationToken(user, "n/a")));
	}

	/**
	 * Makes sure registration and hooks are in place (loads the class).
	 */
	static void init() {
	}

	/**
	 * Fails unless the body saw what it had to.
	 * @param seen what it saw
	 * @return {@code seen}
	 */
	Seen check(Seen seen) {
		if (seen != this.expected && !seen.is(this.expected.requestId(), this.expected.user())) {
			throw new IllegalStateException("The body saw " + seen + ", expected " + this.expected);
		}
		return seen;
	}

}
