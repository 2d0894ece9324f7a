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

package dev.offload.context;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.Offload;
import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for context propagation: what the worker sees of the caller's context, and what
 * it leaves behind.
 */
class ContextPropagationTests {

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	private static final ThreadLocal<String> DECORATED = new ThreadLocal<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.default.core-size=1", "offload.executors.other.core-size=1")
		.withBean(Probe.class)
		.withBean(ObservationRegistry.class, ContextPropagationTests::observationRegistry);

	@AfterEach
	void clearCallerThread() {
		MDC.clear();
		SecurityContextHolder.clearContext();
		LocaleContextHolder.resetLocaleContext();
		TENANT.remove();
		ContextRegistry.getInstance().removeThreadLocalAccessor("test.tenant");
	}

	private static ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		return registry;
	}

	@Test
	void builtInKindsAreAppliedInTheirDocumentedOrder() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(new TenantAccessor());
		this.contextRunner.run((context) -> {
			assertThat(context.getBeanProvider(ContextPropagator.class).orderedStream().map(Object::getClass))
				.containsExactly(MdcContextPropagator.class, LocaleContextPropagator.class,
						SecurityContextPropagator.class, ObservationContextPropagator.class,
						ContextRegistryPropagator.class);
			assertThat(context.getBean(MdcContextPropagator.class).getOrder()).isEqualTo(MdcContextPropagator.ORDER);
			assertThat(context.getBean(SecurityContextPropagator.class).getOrder())
				.isEqualTo(SecurityContextPropagator.ORDER);
			assertThat(context.getBean(LocaleContextPropagator.class).getOrder())
				.isEqualTo(LocaleContextPropagator.ORDER);
			assertThat(context.getBean(ObservationContextPropagator.class).getOrder())
				.isEqualTo(ObservationContextPropagator.ORDER);
			assertThat(context.getBean(ContextRegistryPropagator.class).getOrder())
				.isEqualTo(ContextRegistryPropagator.ORDER);
			assertThat(context.getBean(ContextRegistryPropagator.class).isEmpty()).isFalse();
		});
	}

	@Test
	void registryWithOnlyTheBuiltInKindsHasNothingToPropagate() {
		ContextRegistry registry = new ContextRegistry();
		assertThat(new ContextRegistryPropagator(registry).isEmpty()).isTrue();
		assertThat(new ContextRegistryPropagator(registry).capture()).isNull();
		registry.registerThreadLocalAccessor(new TenantAccessor());
		assertThat(new ContextRegistryPropagator(registry).isEmpty()).isFalse();
	}

	@Test
	void workerSeesCallersMdcAsACopy() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			MDC.put("requestId", "r-1");
			MDC.put("user", "alice");
			Map<String, String> expected = MDC.getCopyOfContextMap();
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Seen> seen = probe.seeAfter(release);
			MDC.put("requestId", "changed-after-the-call");
			release.countDown();
			assertThat(seen.get(5, TimeUnit.SECONDS).mdc()).isEqualTo(expected);
			assertThat(MDC.get("requestId")).isEqualTo("changed-after-the-call");
			// What the body put in the worker's MDC is gone for the worker's next task.
			assertThat(nextPlainTaskOnWorker(context).mdc()).isNull();
		});
	}

	@Test
	void workerSeesCallersAuthenticationInItsOwnSecurityContext() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			Authentication alice = new TestingAuthenticationToken("alice", "secret", "ROLE_USER");
			SecurityContextHolder.getContext().setAuthentication(alice);
			SecurityContext callerContext = SecurityContextHolder.getContext();
			Seen seen = probe.see().get(5, TimeUnit.SECONDS);
			assertThat(seen.authentication()).isSameAs(alice);
			assertThat(seen.securityContext()).isNotSameAs(callerContext);
			assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(alice);
		});
	}

	@Test
	void bodyChangingItsAuthenticationDoesNotChangeTheCallers() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			Authentication alice = new TestingAuthenticationToken("alice", "secret");
			SecurityContextHolder.getContext().setAuthentication(alice);
			probe.becomeMallory().get(5, TimeUnit.SECONDS);
			assertThat(SecurityContextHolder.getContext().getAuthentication()).isSameAs(alice);
			assertThat(nextPlainTaskOnWorker(context).authentication()).isNull();
		});
	}

	@Test
	void workerSeesCallersCurrentObservation() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation observation = Observation.start("caller", registry);
			CompletableFuture<Seen> seen;
			try (Observation.Scope scope = observation.openScope()) {
				seen = probe.see();
			}
			finally {
				observation.stop();
			}
			assertThat(seen.get(5, TimeUnit.SECONDS).observation()).isSameAs(observation);
			assertThat(nextPlainTaskOnWorker(context).observation()).isNull();
			// A call made outside any observation does not run in a scope left behind.
			assertThat(probe.see().get(5, TimeUnit.SECONDS).observation()).isNull();
		});
	}

	@Test
	void workerSeesCallersLocale() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			LocaleContextHolder.setLocale(Locale.JAPAN);
			assertThat(probe.see().get(5, TimeUnit.SECONDS).locale()).isEqualTo(Locale.JAPAN);
			assertThat(nextPlainTaskOnWorker(context).localeContextSet()).isFalse();
		});
	}

	@Test
	void workerSeesValuesOfRegisteredThreadLocalAccessors() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(new TenantAccessor());
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			TENANT.set("acme");
			assertThat(probe.see().get(5, TimeUnit.SECONDS).tenant()).isEqualTo("acme");
			TENANT.remove();
			assertThat(probe.see().get(5, TimeUnit.SECONDS).tenant()).isNull();
		});
	}

	@Test
	void taskDecoratorBeansAreAppliedInsideTheBuiltInPropagation() {
		this.contextRunner.withBean(TaskDecorator.class, () -> (runnable) -> {
			String captured = "decorated:" + MDC.get("requestId");
			return () -> {
				DECORATED.set(captured + "/worker-mdc:" + MDC.get("requestId"));
				try {
					runnable.run();
				}
				finally {
					DECORATED.remove();
				}
			};
		}).run((context) -> {
			Probe probe = context.getBean(Probe.class);
			MDC.put("requestId", "r-7");
			assertThat(probe.see().get(5, TimeUnit.SECONDS).decorated()).isEqualTo("decorated:r-7/worker-mdc:r-7");
		});
	}

	@Test
	void dependentStagesRunOnTheWorkerWithTheCallersContext() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			MDC.put("requestId", "r-2");
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Seen> seen = probe.seeAfter(release);
			CompletableFuture<String> stage = seen
				.thenApply((ignored) -> Thread.currentThread().getName() + "/" + MDC.get("requestId"));
			MDC.remove("requestId");
			release.countDown();
			assertThat(stage.get(5, TimeUnit.SECONDS)).isEqualTo("offload-default-1/r-2");
			// Reset after the stages: the worker's next task sees nothing of the caller.
			Seen next = nextPlainTaskOnWorker(context);
			assertThat(next.thread()).isEqualTo("offload-default-1");
			assertThat(next.mdc()).isNull();
		});
	}

	@Test
	void nestedOffloadPassesTheContextOn() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			probe.setSelf(probe);
			MDC.put("requestId", "r-3");
			Authentication alice = new TestingAuthenticationToken("alice", "secret");
			SecurityContextHolder.getContext().setAuthentication(alice);
			Seen inner = probe.seeNested().get(5, TimeUnit.SECONDS);
			assertThat(inner.thread()).startsWith("offload-other-");
			assertThat(inner.mdc()).containsEntry("requestId", "r-3");
			assertThat(inner.authentication()).isSameAs(alice);
		});
	}

	@Test
	void offloaderCallsPropagateTheContext() {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			MDC.put("requestId", "r-4");
			Authentication alice = new TestingAuthenticationToken("alice", "secret");
			SecurityContextHolder.getContext().setAuthentication(alice);
			Seen seen = offloader.executor("other").call(Seen::now).get(5, TimeUnit.SECONDS);
			assertThat(seen.mdc()).containsEntry("requestId", "r-4");
			assertThat(seen.authentication()).isSameAs(alice);
		});
	}

	@Test
	void failingBodyLeavesTheWorkerClean() {
		this.contextRunner.run((context) -> {
			Probe probe = context.getBean(Probe.class);
			MDC.put("requestId", "r-5");
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
			LocaleContextHolder.setLocale(Locale.GERMANY);
			assertThat(probe.fail()).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class);
			Seen seen = nextPlainTaskOnWorker(context);
			assertThat(seen.mdc()).isNull();
			assertThat(seen.authentication()).isNull();
			assertThat(seen.localeContextSet()).isFalse();
		});
	}

	@Test
	void mdcSwitchTurnsMdcPropagationOff() {
		this.contextRunner.withPropertyValues("offload.propagation.mdc=false").run((context) -> {
			MDC.put("requestId", "r-6");
			assertThat(context.getBean(Probe.class).see().get(5, TimeUnit.SECONDS).mdc()).isNull();
		});
	}

	@Test
	void securitySwitchTurnsSecurityPropagationOffEvenWithItsRegisteredAccessor() {
		this.contextRunner.withPropertyValues("offload.propagation.security=false").run((context) -> {
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
			assertThat(context.getBean(Probe.class).see().get(5, TimeUnit.SECONDS).authentication()).isNull();
		});
	}

	@Test
	void springsContextPropagatingTaskDecoratorIsNotApplied() {
		this.contextRunner.withPropertyValues("offload.propagation.security=false")
			.withBean(ContextPropagatingTaskDecorator.class)
			.run((context) -> {
				SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
				assertThat(context.getBean(Probe.class).see().get(5, TimeUnit.SECONDS).authentication()).isNull();
			});
	}

	@Test
	void observationSwitchTurnsObservationPropagationOffEvenWithItsRegisteredAccessor() {
		this.contextRunner.withPropertyValues("offload.propagation.observation=false").run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation observation = Observation.start("caller", registry);
			CompletableFuture<Seen> seen;
			try (Observation.Scope scope = observation.openScope()) {
				seen = context.getBean(Probe.class).see();
			}
			finally {
				observation.stop();
			}
			assertThat(seen.get(5, TimeUnit.SECONDS).observation()).isNull();
		});
	}

	@Test
	void localeSwitchTurnsLocalePropagationOff() {
		this.contextRunner.withPropertyValues("offload.propagation.locale=false").run((context) -> {
			LocaleContextHolder.setLocale(Locale.JAPAN);
			assertThat(context.getBean(Probe.class).see().get(5, TimeUnit.SECONDS).localeContextSet()).isFalse();
		});
	}

	@Test
	void startsAndPropagatesWhatItCanWithoutSecurityMicrometerOrContextPropagation() {
		new ApplicationContextRunner()
			.withClassLoader(new FilteredClassLoader("org.springframework.security.", "io.micrometer."))
			.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
			.withPropertyValues("offload.executors.other.core-size=1")
			.withBean(Probe.class)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(MdcContextPropagator.class)
					.hasSingleBean(LocaleContextPropagator.class)
					.doesNotHaveBean(SecurityContextPropagator.class)
					.doesNotHaveBean(ObservationContextPropagator.class)
					.doesNotHaveBean(ContextRegistryPropagator.class);
				MDC.put("requestId", "r-8");
				LocaleContextHolder.setLocale(Locale.ITALY);
				Seen seen = context.getBean(Probe.class).see().get(5, TimeUnit.SECONDS);
				assertThat(seen.mdc()).containsEntry("requestId", "r-8");
				assertThat(seen.locale()).isEqualTo(Locale.ITALY);
			});
	}

	@Test
	void startsWithoutSlf4j() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader("org.slf4j."))
			.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MdcContextPropagator.class));
	}

	/**
	 * Runs a plain task on the only thread of the default executor, after the calls made
	 * so far: what the application's next task there would see. (A check from inside the
	 * next offloaded body would see the next caller's context, installed over whatever
	 * was left behind.)
	 */
	private static Seen nextPlainTaskOnWorker(AssertableApplicationContext context) throws Exception {
		PlatformOffloadExecutor executor = (PlatformOffloadExecutor) context.getBean(OffloadExecutors.class)
			.get("default");
		return executor.getThreadPoolExecutor().submit(Seen::now).get(5, TimeUnit.SECONDS);
	}

	/**
	 * What a body saw of its context.
	 */
	public record Seen(String thread, Map<String, String> mdc, Authentication authentication,
			SecurityContext securityContext, Observation observation, Locale locale, boolean localeContextSet,
			String tenant, String decorated) {

		static Seen now() {
			return new Seen(Thread.currentThread().getName(), MDC.getCopyOfContextMap(),
					SecurityContextHolder.getContext().getAuthentication(), SecurityContextHolder.getContext(),
					ObservationRegistry.create().getCurrentObservation(), LocaleContextHolder.getLocale(),
					LocaleContextHolder.getLocaleContext() != null, TENANT.get(), DECORATED.get());
		}

	}

	public static class Probe {

		private final AtomicReference<Probe> self = new AtomicReference<>();

		@Offload
		public CompletableFuture<Seen> see() {
			return CompletableFuture.completedFuture(Seen.now());
		}

		@Offload
		public CompletableFuture<Seen> seeAfter(CountDownLatch release) throws InterruptedException {
			Seen seen = Seen.now();
			MDC.put("fromBody", "must not leak");
			release.await(5, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture(seen);
		}

		@Offload("other")
		public CompletableFuture<Seen> seeOnOther() {
			return CompletableFuture.completedFuture(Seen.now());
		}

		@Offload
		public CompletableFuture<Seen> seeNested() throws Exception {
			return CompletableFuture.completedFuture(this.self.get().seeOnOther().get(5, TimeUnit.SECONDS));
		}

		@Offload
		public CompletableFuture<Void> becomeMallory() {
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("mallory", "x"));
			return CompletableFuture.completedFuture(null);
		}

		@Offload
		public CompletableFuture<Void> fail() {
			MDC.put("fromFailingBody", "x");
			throw new IllegalStateException("boom");
		}

		public void setSelf(Probe self) {
			this.self.set(self);
		}

	}

	static class TenantAccessor implements ThreadLocalAccessor<String> {

		@Override
		public Object key() {
			return "test.tenant";
		}

		@Override
		public String getValue() {
			return TENANT.get();
		}

		@Override
		public void setValue(String value) {
			TENANT.set(value);
		}

		@Override
		public void setValue() {
			TENANT.remove();
		}

	}

}
