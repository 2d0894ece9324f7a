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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;

import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker is put back after the body, as seen from where a leak would hurt: the next
 * plain task of the application on the same thread.
 * <p>
 * A check made from inside the next offloaded body cannot see a missing reset, since the
 * next call's restore overwrites the thread's MDC, security context and locale before its
 * body runs. A plain task has no restore: on a pooled worker shared with the application
 * (a {@code bean:} executor), it is the next request's task, and it would carry the
 * previous caller's request id and user. So each test makes one call with the caller's
 * MDC, authentication, locale and observation, then runs a plain task on the same thread:
 * through the pool itself for a platform executor, through the bean for a {@code bean:}
 * executor (both with one thread, so the plain task lands on the worker).
 * <p>
 * A virtual executor runs each call on a thread of its own that ends with the call, so no
 * plain task can follow on it. There the last code to run on the body's thread is the
 * reset of the first propagator (kinds are reset in reverse order); the test puts a probe
 * there, which sees the thread after every built-in kind has been reset.
 */
class WorkerCleanUpTests {

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final List<Runnable> cleanUps = new ArrayList<>();

	WorkerCleanUpTests() {
		this.observations.observationConfig().observationHandler((context) -> true);
	}

	@AfterEach
	void cleanUp() {
		this.registries.forEach(OffloadExecutors::close);
		this.cleanUps.forEach(Runnable::run);
		clearThread();
	}

	private List<ContextPropagator> builtIn() {
		return List.of(new MdcContextPropagator(), new SecurityContextPropagator(), new LocaleContextPropagator(),
				new ObservationContextPropagator(this.observations));
	}

	private DefaultOffloader offloader(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return new DefaultOffloader(registry);
	}

	private PlatformOffloadExecutor platform() {
		return new PlatformOffloadExecutor("one", 1, 1, 10, Duration.ofSeconds(60), "offload-one-", null,
				Duration.ofSeconds(1), ContextPropagator.of(builtIn()));
	}

	private ThreadPoolTaskExecutor applicationExecutor() {
		ThreadPoolTaskExecutor taskExecutor = new ThreadPoolTaskExecutor();
		taskExecutor.setCorePoolSize(1);
		taskExecutor.setMaxPoolSize(1);
		taskExecutor.setThreadNamePrefix("app-");
		taskExecutor.initialize();
		this.cleanUps.add(taskExecutor::shutdown);
		return taskExecutor;
	}

	@Test
	void platformWorkerIsCleanForThePlainTaskThatFollowsTheBody() throws Exception {
		PlatformOffloadExecutor executor = platform();
		ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
		assertCleanAfterCall(offloader(executor), new PlainTask(pool));
	}

	@Test
	void beanWorkerIsCleanForTheApplicationsNextTask() throws Exception {
		ThreadPoolTaskExecutor application = applicationExecutor();
		BeanOffloadExecutor executor = new BeanOffloadExecutor("app", "applicationExecutor", application, null,
				Duration.ofSeconds(1), ContextPropagator.of(builtIn()));
		assertCleanAfterCall(offloader(executor), new PlainTask(application));
	}

	@Test
	void platformWorkerGetsItsOwnContextBackAfterTheBody() throws Exception {
		PlatformOffloadExecutor executor = platform();
		ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
		assertOwnContextBackAfterCall(offloader(executor), new PlainTask(pool));
	}

	@Test
	void beanWorkerGetsTheApplicationsContextBackAfterTheBody() throws Exception {
		ThreadPoolTaskExecutor application = applicationExecutor();
		BeanOffloadExecutor executor = new BeanOffloadExecutor("app", "applicationExecutor", application, null,
				Duration.ofSeconds(1), ContextPropagator.of(builtIn()));
		assertOwnContextBackAfterCall(offloader(executor), new PlainTask(application));
	}

	@Test
	void failingBodyLeavesThePlatformWorkerClean() throws Exception {
		PlatformOffloadExecutor executor = platform();
		DefaultOffloader offloader = offloader(executor);
		AtomicReference<Seen> inBody = new AtomicReference<>();
		Observation observation = startCallerContext();
		CompletableFuture<String> failing;
		try (Observation.Scope scope = observation.openScope()) {
			failing = offloader.call(() -> {
				inBody.set(Seen.now(this.observations));
				MDC.put("fromBody", "x");
				throw new IllegalStateException("boom");
			});
		}
		finally {
			observation.stop();
			clearThread();
		}
		assertThat(failing).failsWithin(Latches.SECONDS, TimeUnit.SECONDS);
		Seen after = executor.getThreadPoolExecutor()
			.submit(() -> Seen.now(this.observations))
			.get(Latches.SECONDS, TimeUnit.SECONDS);
		assertThat(after.thread()).isSameAs(inBody.get().thread());
		assertThat(after).isEqualTo(Seen.clean(after.thread()));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualThreadOfTheBodyEndsClean() throws Exception {
		AtomicReference<@Nullable Seen> atLastReset = new AtomicReference<>();
		ContextPropagator probe = new ContextPropagator() {

			@Override
			public @Nullable Object capture() {
				return null;
			}

			@Override
			public @Nullable Object restore(@Nullable Object captured) {
				return null;
			}

			@Override
			public void reset(@Nullable Object restored) {
				atLastReset.set(Seen.now(WorkerCleanUpTests.this.observations));
			}

		};
		List<ContextPropagator> propagators = new ArrayList<>();
		propagators.add(probe);
		propagators.addAll(builtIn());
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("virtual", null, 0, "offload-virtual-", null,
				Duration.ofSeconds(1), ContextPropagator.of(propagators));
		DefaultOffloader offloader = offloader(executor);
		Observation observation = startCallerContext();
		CompletableFuture<Seen> call;
		try (Observation.Scope scope = observation.openScope()) {
			call = offloader.call(() -> {
				Seen seen = Seen.now(this.observations);
				dirtyTheThread();
				return seen;
			});
		}
		finally {
			observation.stop();
			clearThread();
		}
		Seen inBody = call.get(Latches.SECONDS, TimeUnit.SECONDS);
		assertSawTheCaller(inBody, observation);
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(Latches.SECONDS))
			.until(() -> atLastReset.get() != null);
		Seen after = atLastReset.get();
		assertThat(after.thread()).isSameAs(inBody.thread());
		assertThat(after).isEqualTo(Seen.clean(after.thread()));
	}

	@Test
	void callWithoutContextRunsWithoutTheWorkersOwnAndGivesItBack() throws Exception {
		PlatformOffloadExecutor executor = platform();
		PlainTask plain = new PlainTask(executor.getThreadPoolExecutor());
		Authentication workerUser = new TestingAuthenticationToken("worker", "x");
		LocaleContext workerLocale = () -> Locale.FRANCE;
		plain.run(() -> {
			MDC.put("job", "nightly");
			SecurityContextHolder.getContext().setAuthentication(workerUser);
			LocaleContextHolder.setLocaleContext(workerLocale);
			return null;
		});
		Seen inBody = offloader(executor).call(() -> Seen.now(this.observations)).get(5, TimeUnit.SECONDS);
		assertThat(inBody).as("what the body of a caller without context sees").isEqualTo(Seen.clean(inBody.thread()));
		Seen after = plain.run(() -> {
			Seen seen = Seen.now(this.observations);
			clearThread();
			return seen;
		});
		assertThat(after.mdc()).isEqualTo(Map.of("job", "nightly"));
		assertThat(after.authentication()).isSameAs(workerUser);
		assertThat(after.localeContext()).isSameAs(workerLocale);
	}

	@Test
	void callWithoutContextWhoseBodySetsContextLeavesNothing() throws Exception {
		PlatformOffloadExecutor executor = platform();
		PlainTask plain = new PlainTask(executor.getThreadPoolExecutor());
		Seen inBody = offloader(executor).call(() -> {
			dirtyTheThread();
			return Seen.now(this.observations);
		}).get(5, TimeUnit.SECONDS);
		assertThat(inBody.authentication()).isNotNull();
		Seen after = plain.run(() -> Seen.now(this.observations));
		assertThat(after.thread()).isSameAs(inBody.thread());
		assertThat(after).isEqualTo(Seen.clean(after.thread()));
	}

	/**
	 * One call with the caller's full context, whose body also writes to the worker's,
	 * then a plain task on the same thread: it sees nothing of either.
	 */
	private void assertCleanAfterCall(DefaultOffloader offloader, PlainTask plain) throws Exception {
		Seen before = plain.run(() -> Seen.now(this.observations));
		assertThat(before).as("the worker before the call").isEqualTo(Seen.clean(before.thread()));
		Observation observation = startCallerContext();
		CompletableFuture<Seen> call;
		try (Observation.Scope scope = observation.openScope()) {
			call = offloader.call(() -> {
				Seen seen = Seen.now(this.observations);
				dirtyTheThread();
				return seen;
			});
		}
		finally {
			observation.stop();
			clearThread();
		}
		Seen inBody = call.get(Latches.SECONDS, TimeUnit.SECONDS);
		assertSawTheCaller(inBody, observation);
		Seen after = plain.run(() -> Seen.now(this.observations));
		assertThat(after.thread()).as("the plain task runs on the body's thread").isSameAs(inBody.thread());
		assertThat(after).as("the worker after the call").isEqualTo(Seen.clean(after.thread()));
	}

	/**
	 * A worker that has context of its own (set by a plain task of the application) gets
	 * exactly that back after a call: the same MDC, the same security context instance,
	 * the same locale context.
	 */
	private void assertOwnContextBackAfterCall(DefaultOffloader offloader, PlainTask plain) throws Exception {
		Authentication workerUser = new TestingAuthenticationToken("worker", "x");
		LocaleContext workerLocale = () -> Locale.FRANCE;
		SecurityContext workerSecurity = plain.run(() -> {
			MDC.put("job", "nightly");
			SecurityContextHolder.getContext().setAuthentication(workerUser);
			LocaleContextHolder.setLocaleContext(workerLocale);
			return SecurityContextHolder.getContext();
		});
		Observation observation = startCallerContext();
		CompletableFuture<Seen> call;
		try (Observation.Scope scope = observation.openScope()) {
			call = offloader.call(() -> {
				Seen seen = Seen.now(this.observations);
				dirtyTheThread();
				return seen;
			});
		}
		finally {
			observation.stop();
			clearThread();
		}
		assertSawTheCaller(call.get(Latches.SECONDS, TimeUnit.SECONDS), observation);
		Seen after = plain.run(() -> {
			Seen seen = Seen.now(this.observations);
			clearThread();
			return seen;
		});
		assertThat(after.mdc()).isEqualTo(Map.of("job", "nightly"));
		assertThat(after.securityContext()).isSameAs(workerSecurity);
		assertThat(after.authentication()).isSameAs(workerUser);
		assertThat(after.localeContext()).isSameAs(workerLocale);
		assertThat(after.observation()).isNull();
	}

	private Observation startCallerContext() {
		MDC.put("requestId", "r-1");
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "secret"));
		LocaleContextHolder.setLocale(Locale.JAPAN);
		return Observation.start("caller", this.observations);
	}

	private static void assertSawTheCaller(Seen inBody, Observation observation) {
		assertThat(inBody.mdc()).containsEntry("requestId", "r-1");
		assertThat(inBody.authentication()).isNotNull();
		assertThat(inBody.authentication().getName()).isEqualTo("alice");
		assertThat(inBody.localeContext()).isNotNull();
		assertThat(inBody.localeContext().getLocale()).isEqualTo(Locale.JAPAN);
		assertThat(inBody.observation()).isSameAs(observation);
	}

	/**
	 * What a careless body does to its worker's context.
	 */
	private static void dirtyTheThread() {
		MDC.put("fromBody", "left behind");
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("mallory", "x"));
		LocaleContextHolder.setLocale(Locale.GERMANY);
	}

	private static void clearThread() {
		MDC.clear();
		SecurityContextHolder.clearContext();
		LocaleContextHolder.resetLocaleContext();
	}

	/**
	 * Runs plain tasks of the application on an executor, as its own code would.
	 */
	private record PlainTask(Executor executor) {

		<T> T run(Callable<T> task) throws Exception {
			CompletableFuture<T> result = new CompletableFuture<>();
			this.executor.execute(() -> {
				try {
					result.complete(task.call());
				}
				catch (Throwable ex) {
					result.completeExceptionally(ex);
				}
			});
			return result.get(Latches.SECONDS, TimeUnit.SECONDS);
		}

	}

	/**
	 * What a thread holds of each kind of context.
	 */
	private record Seen(Thread thread, @Nullable Map<String, String> mdc, @Nullable Authentication authentication,
			SecurityContext securityContext, @Nullable LocaleContext localeContext, @Nullable Observation observation) {

		static Seen now(ObservationRegistry observations) {
			Map<String, String> mdc = MDC.getCopyOfContextMap();
			return new Seen(Thread.currentThread(), (mdc == null || mdc.isEmpty()) ? null : mdc,
					SecurityContextHolder.getContext().getAuthentication(), SecurityContextHolder.getContext(),
					LocaleContextHolder.getLocaleContext(), observations.getCurrentObservation());
		}

		/**
		 * Compares everything but the security context instance, which a clean thread
		 * creates anew when asked.
		 */
		static Seen clean(Thread thread) {
			return new Seen(thread, null, null, SecurityContextHolder.createEmptyContext(), null, null);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Seen seen && this.thread == seen.thread
					&& java.util.Objects.equals(this.mdc, seen.mdc)
					&& java.util.Objects.equals(this.authentication, seen.authentication)
					&& this.localeContext == seen.localeContext && this.observation == seen.observation;
		}

		@Override
		public int hashCode() {
			return this.thread.hashCode();
		}

	}

}
