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

package dev.offload.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.Offload;
import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.MetricsAutoConfigurations;
import dev.offload.autoconfigure.OffloadMetricsAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link dev.offload.OffloadScope} and deadline inheritance in an application:
 * {@code @Offload} methods as members and as nested calls, the caller's context on every
 * member, {@code offload.inherit-deadline}, and the {@code offload.calls} outcomes of a
 * failed group.
 */
class OffloadScopeIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(MetricsAutoConfigurations.registry())
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.core-size=4", "offload.executors.jdbc.core-size=4")
		.withBean(Calls.class);

	@AfterEach
	void clear() {
		MDC.clear();
		SecurityContextHolder.clearContext();
	}

	@Test
	void callsFromOffloadBodyWithTimeoutInheritItsTimeLeft() {
		this.contextRunner.run((context) -> {
			Calls calls = context.getBean(Calls.class);
			assertTimedOut(calls.outerWithTimeout());
			String inherited = "the time left of the deadline it inherited from the call to " + Calls.class.getName()
					+ ".outerWithTimeout() on executor 'io' (timeout 300ms)";
			assertThat(assertTimedOut(calls.nestedAnnotated().get()))
				.hasMessageStartingWith("Offloaded call to " + Calls.class.getName()
						+ ".slowOnJdbc() on executor 'jdbc' timed out after ")
				.hasMessageContaining(inherited);
			assertThat(assertTimedOut(calls.nestedOffloader().get()))
				.hasMessageStartingWith("Offloaded call to Offloader.call on executor 'jdbc' timed out after ")
				.hasMessageContaining(inherited);
		});
	}

	@Test
	void callsNestedInScopeMemberInheritTheScopeDeadline() {
		this.contextRunner.run((context) -> {
			Calls calls = context.getBean(Calls.class);
			OffloadScope scope = context.getBean(Offloader.class).scope(Duration.ofMillis(200));
			scope.fork(calls::memberMakingNestedCalls);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			String inherited = "inherited from an offload scope (deadline 200ms)";
			assertThat(assertTimedOut(calls.nestedAnnotated().get())).hasMessageContaining(inherited);
			assertThat(assertTimedOut(calls.nestedOffloader().get())).hasMessageContaining(inherited);
		});
	}

	@Test
	void executorWithInheritanceOffKeepsItsOwnTimeout() {
		this.contextRunner.withPropertyValues("offload.executors.jdbc.inherit-deadline=false").run((context) -> {
			Calls calls = context.getBean(Calls.class);
			assertThat(context.getBean(OffloadExecutors.class).get("jdbc").isInheritDeadline()).isFalse();
			assertThat(context.getBean(OffloadExecutors.class).get("io").isInheritDeadline()).isTrue();
			calls.release();
			assertTimedOut(calls.outerWithTimeout());
			assertThat(calls.nestedAnnotated().get().get(5, TimeUnit.SECONDS)).isEqualTo("slow");
			assertThat(calls.nestedOffloader().get().get(5, TimeUnit.SECONDS)).isEqualTo("slow");
		});
	}

	@Test
	void everyMemberSeesTheCallersContext() {
		this.contextRunner.run((context) -> {
			Calls calls = context.getBean(Calls.class);
			MDC.put("requestId", "r-42");
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "pw"));
			OffloadScope scope = context.getBean(Offloader.class).scope(Duration.ofSeconds(5));
			Member<String> annotated = scope.fork(calls::context);
			Member<String> onJdbc = scope.call("jdbc", Calls::seen);
			Member<String> onDefault = scope.call(Calls::seen);
			Member<String> added = scope.add(calls.context());
			assertThat(scope.join(() -> List.of(annotated.get(), onJdbc.get(), onDefault.get(), added.get()))
				.get(5, TimeUnit.SECONDS)).containsOnly("r-42 alice");
		});
	}

	@Test
	void failedGroupCountsTheFailureAsErrorAndTheCancelledMembersAsCancelled() {
		this.contextRunner.run((context) -> {
			Calls calls = context.getBean(Calls.class);
			Offloader offloader = context.getBean(Offloader.class);
			OffloadScope scope = offloader.scope();
			scope.fork(calls::slowOnJdbc);
			scope.fork(calls::slowOnJdbc);
			scope.call("io", calls::blockUntilReleased);
			scope.fork(calls::failing);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> scope.join().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(IllegalStateException.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String className = Calls.class.getName();
			assertThat(registry.get("offload.calls")
				.tags("class", className, "method", "failing", "outcome", "error")
				.timer()
				.count()).isOne();
			assertThat(registry.get("offload.calls")
				.tags("class", className, "method", "slowOnJdbc", "outcome", "cancelled")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("offload.calls")
				.tags("class", Offloader.class.getName(), "method", "call", "outcome", "cancelled")
				.timer()
				.count()).isOne();
			assertThat(registry.find("offload.calls").tags("outcome", "success").timers())
				.allSatisfy((timer) -> assertThat(timer.count()).isZero());
		});
	}

	private static TimeoutException assertTimedOut(CompletableFuture<?> future) {
		ExecutionException ex = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
			.actual();
		assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
		return (TimeoutException) ex.getCause();
	}

	static class Calls {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicReference<CompletableFuture<String>> nestedAnnotated = new AtomicReference<>();

		final AtomicReference<CompletableFuture<String>> nestedOffloader = new AtomicReference<>();

		private final Offloader offloader;

		private Calls self;

		Calls(Offloader offloader) {
			this.offloader = offloader;
		}

		@org.springframework.beans.factory.annotation.Autowired
		void setSelf(@org.springframework.context.annotation.Lazy Calls self) {
			this.self = self;
		}

		@Offload(value = "io", timeout = "300ms")
		public CompletableFuture<String> outerWithTimeout() throws Exception {
			return CompletableFuture.completedFuture(makeNestedCalls());
		}

		@Offload("io")
		public CompletableFuture<String> memberMakingNestedCalls() throws Exception {
			return CompletableFuture.completedFuture(makeNestedCalls());
		}

		private String makeNestedCalls() throws Exception {
			this.nestedAnnotated.set(this.self.slowOnJdbc());
			this.nestedOffloader.set(this.offloader.executor("jdbc").call(this::blockUntilReleased));
			return this.nestedAnnotated.get().get(5, TimeUnit.SECONDS)
					+ this.nestedOffloader.get().get(5, TimeUnit.SECONDS);
		}

		@Offload("jdbc")
		public CompletableFuture<String> slowOnJdbc() throws InterruptedException {
			return CompletableFuture.completedFuture(blockUntilReleased());
		}

		@Offload("jdbc")
		public CompletableFuture<String> failing() throws InterruptedException {
			Thread.sleep(20);
			throw new IllegalStateException("boom");
		}

		@Offload("io")
		public CompletableFuture<String> context() {
			return CompletableFuture.completedFuture(seen());
		}

		public AtomicReference<CompletableFuture<String>> nestedAnnotated() {
			return this.nestedAnnotated;
		}

		public AtomicReference<CompletableFuture<String>> nestedOffloader() {
			return this.nestedOffloader;
		}

		public void release() {
			this.release.countDown();
		}

		String blockUntilReleased() throws InterruptedException {
			this.release.await(5, TimeUnit.SECONDS);
			// Well past the 300ms of outerWithTimeout(), which must time out first.
			Thread.sleep(700);
			return "slow";
		}

		static String seen() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return MDC.get("requestId") + " " + ((authentication != null) ? authentication.getName() : null);
		}

	}

}
