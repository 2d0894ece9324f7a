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

package dev.offload.reactive;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.StepVerifierOptions;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.test.util.AopTestUtils;

import dev.offload.ReactiveOffloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.Latches;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what the body of a {@code Mono} or {@code Flux} call sees: the subscribing
 * thread's context, and with automatic context propagation the Reactor {@code Context}'s;
 * the reactive security context in the {@code SecurityContextHolder}.
 */
class ReactiveContextTests {

	private static final String REQUEST_ID = "requestId";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.core-size=1")
		.withUserConfiguration(ReactiveCallsTests.ServiceConfiguration.class);

	private final Authentication alice = new TestingAuthenticationToken("alice", "pw", "ROLE_USER");

	@AfterEach
	void cleanUp() {
		Hooks.disableAutomaticContextPropagation();
		ContextRegistry.getInstance().removeThreadLocalAccessor(REQUEST_ID);
		MDC.clear();
		SecurityContextHolder.clearContext();
	}

	/**
	 * Subscribes on a fresh thread, which has no MDC and no authentication of its own, as
	 * a Netty event loop has none.
	 */
	private static <T> T onFreshThread(Mono<T> mono) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(
				() -> mono.subscribe(result::complete, result::completeExceptionally, () -> result.complete(null)));
		thread.start();
		return result.get(Latches.SECONDS, TimeUnit.SECONDS);
	}

	private static void registerRequestIdAccessor() {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(REQUEST_ID, () -> MDC.get(REQUEST_ID), (value) -> MDC.put(REQUEST_ID, value),
					() -> MDC.remove(REQUEST_ID));
	}

	@Test
	void bodySeesTheSubscribingThreadsMdcAndAuthentication() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			MDC.put(REQUEST_ID, "r-1");
			SecurityContextHolder.getContext().setAuthentication(this.alice);
			Mono<Object> mono = proxy.mono();
			assertThat(mono.block(Duration.ofSeconds(Latches.SECONDS))).isEqualTo("value");
			assertThat(service.requestId).isEqualTo("r-1");
			assertThat(service.authentication).isSameAs(this.alice);
			MDC.put(REQUEST_ID, "r-2");
			assertThat(proxy.flux().collectList().block(Duration.ofSeconds(Latches.SECONDS))).hasSize(3);
			assertThat(service.requestId).isEqualTo("r-2");
			assertThat(service.authentication).isSameAs(this.alice);
		});
	}

	@Test
	void contextIsCapturedAtSubscriptionNotWhenTheMonoIsMade() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			MDC.put(REQUEST_ID, "when-made");
			Mono<Object> mono = proxy.mono();
			MDC.put(REQUEST_ID, "when-subscribed");
			mono.block(Duration.ofSeconds(Latches.SECONDS));
			assertThat(service.requestId).isEqualTo("when-subscribed");
		});
	}

	@Test
	void withAutomaticPropagationBodySeesTheReactorContextsValues() {
		this.contextRunner.run((context) -> {
			registerRequestIdAccessor();
			Hooks.enableAutomaticContextPropagation();
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			// What a request-id WebFilter does: the value is in the Reactor Context only.
			onFreshThread(proxy.mono().contextWrite(Context.of(REQUEST_ID, "r-ctx")));
			assertThat(service.requestId).isEqualTo("r-ctx");
			onFreshThread(proxy.flux().then().contextWrite(Context.of(REQUEST_ID, "r-flux")));
			assertThat(service.requestId).isEqualTo("r-flux");
			ReactiveOffloader offloader = context.getBean(ReactiveOffloader.class);
			assertThat(onFreshThread(
					offloader.mono(() -> MDC.get(REQUEST_ID)).contextWrite(Context.of(REQUEST_ID, "r-offloader"))))
				.isEqualTo("r-offloader");
		});
	}

	@Test
	void withAutomaticPropagationTheSubscribersOwnContextIsSeenToo() {
		this.contextRunner.run((context) -> {
			registerRequestIdAccessor();
			Hooks.enableAutomaticContextPropagation();
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			// No contextWrite operator restores it on the way: the context comes with the
			// subscriber, as it does for an inner publisher of a chain.
			StepVerifier
				.create(proxy.mono(), StepVerifierOptions.create().withInitialContext(Context.of(REQUEST_ID, "r-sub")))
				.expectNext("value")
				.expectComplete()
				.verify(Duration.ofSeconds(Latches.SECONDS));
			assertThat(service.requestId).isEqualTo("r-sub");
		});
	}

	@Test
	void withoutAutomaticPropagationTheReactorContextIsNotReadForThreadLocals() {
		this.contextRunner.run((context) -> {
			registerRequestIdAccessor();
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			onFreshThread(proxy.mono().contextWrite(Context.of(REQUEST_ID, "r-ctx")));
			assertThat(service.requestId).isNull();
		});
	}

	@Test
	void reactiveSecurityContextIsSeenInTheSecurityContextHolderOfTheBody() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			onFreshThread(proxy.mono().contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice)));
			assertThat(service.authentication).isSameAs(this.alice);
			service.authentication = null;
			onFreshThread(
					proxy.flux().then().contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice)));
			assertThat(service.authentication).isSameAs(this.alice);
			ReactiveOffloader offloader = context.getBean(ReactiveOffloader.class);
			assertThat(onFreshThread(offloader.mono(() -> SecurityContextHolder.getContext().getAuthentication())
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice)))).isSameAs(this.alice);
		});
	}

	@Test
	void reactiveSecurityContextResolvedLaterIsSeenToo() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			// A security context loaded asynchronously (a session store): resolved on
			// another thread, then the call is made.
			Mono<SecurityContextImpl> loaded = Mono.just(new SecurityContextImpl(this.alice))
				.delayElement(Duration.ofMillis(20));
			onFreshThread(proxy.mono().contextWrite(ReactiveSecurityContextHolder.withSecurityContext(loaded)));
			assertThat(service.authentication).isSameAs(this.alice);
		});
	}

	@Test
	void reactiveSecurityContextIsNotLeftOnTheSubscribingThread() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			proxy.mono()
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice))
				.block(Duration.ofSeconds(Latches.SECONDS));
			assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
			Authentication bob = new TestingAuthenticationToken("bob", "pw");
			SecurityContextHolder.getContext().setAuthentication(bob);
			proxy.mono()
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice))
				.block(Duration.ofSeconds(Latches.SECONDS));
			assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(bob);
		});
	}

	@Test
	void reactiveSecurityContextIsNotPropagatedWhenSecurityPropagationIsOff() {
		this.contextRunner.withPropertyValues("offload.propagation.security=false").run((context) -> {
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			onFreshThread(proxy.mono().contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice)));
			assertThat(service.authentication).isNull();
		});
	}

	@Test
	void theWorkerKeepsNothingOfTheReactiveContextAfterTheCall() {
		this.contextRunner.run((context) -> {
			registerRequestIdAccessor();
			Hooks.enableAutomaticContextPropagation();
			ReactiveService proxy = context.getBean(ReactiveService.class);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			onFreshThread(proxy.mono()
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(this.alice))
				.contextWrite(Context.of(REQUEST_ID, "r-ctx")));
			onFreshThread(proxy.mono());
			assertThat(service.requestId).isNull();
			assertThat(service.authentication).isNull();
			assertThat(service.bodyThreads).hasSize(1);
		});
	}

}
