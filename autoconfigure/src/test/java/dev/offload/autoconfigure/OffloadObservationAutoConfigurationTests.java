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

package dev.offload.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offload;
import dev.offload.Offloader;
import dev.offload.executor.OffloadCallObserver;
import dev.offload.observation.OffloadCallMeterObservationHandler;
import dev.offload.observation.DefaultOffloadObservationConvention;
import dev.offload.observation.OffloadCallObservations;
import dev.offload.observation.OffloadObservationContext;
import dev.offload.observation.OffloadObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each offloaded call is an {@code offload.call} observation, and with Micrometer Tracing
 * (Brave, spans collected in memory) a span: the child of the caller's span and the
 * parent of the body's, tagged like {@code offload.calls}, with an event where the worker
 * took it; no second meter next to {@code offload.calls}; off with the property, without
 * a tracer, or without the tracing classes.
 */
class OffloadObservationAutoConfigurationTests {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final Tracing tracing = Tracing.newBuilder()
		.currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
		.addSpanHandler(new SpanHandler() {

			@Override
			public boolean end(TraceContext context, MutableSpan span, Cause cause) {
				OffloadObservationAutoConfigurationTests.this.spans.add(span);
				return true;
			}

		})
		.build();

	private final BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
			new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadObservationAutoConfiguration.class))
		.withBean(Tracer.class, () -> this.tracer)
		.withBean(ObservationRegistry.class, this::observationRegistry)
		.withBean(TracedService.class);

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	private ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
		return registry;
	}

	@Test
	void callSpanIsChildOfCallersSpanAndParentOfBodysSpan() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OffloadCallMeterObservationHandler.class);
			assertThat(context.getBean(OffloadCallObserver.class)).isInstanceOf(OffloadCallObservations.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			TracedService service = context.getBean(TracedService.class);
			CompletableFuture<String> result = Observation.createNotStarted("caller", registry).observe(service::work);
			assertThat(result.get(5, TimeUnit.SECONDS)).startsWith("offload-default-");
			MutableSpan caller = span("caller");
			MutableSpan call = callSpan("work");
			MutableSpan body = span("body");
			assertThat(call.traceId()).isEqualTo(caller.traceId());
			assertThat(call.parentId()).isEqualTo(caller.id());
			assertThat(body.traceId()).isEqualTo(caller.traceId());
			assertThat(body.parentId()).isEqualTo(call.id());
			assertThat(call.tags()).containsEntry("executor", "default")
				.containsEntry("class", TracedService.class.getName())
				.containsEntry("method", "work")
				.containsEntry("outcome", "success");
			assertThat(call.error()).isNull();
			assertThat(this.tracing.currentTraceContext().get()).isNull();
		});
	}

	@Test
	void callSpanHasAnEventWhereTheWorkerTookTheCall() {
		this.contextRunner.withPropertyValues("offload.executors.default.core-size=1").run((context) -> {
			TracedService service = context.getBean(TracedService.class);
			// The only worker is busy: the traced call waits in the queue until it is
			// released.
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Void> blocker = service.block(release);
			CompletableFuture<String> result = service.work();
			release.countDown();
			blocker.get(5, TimeUnit.SECONDS);
			result.get(5, TimeUnit.SECONDS);
			MutableSpan call = callSpan("work");
			MutableSpan body = span("body");
			assertThat(call.annotationCount()).isEqualTo(1);
			assertThat(call.annotationValueAt(0)).isEqualTo(OffloadCallObservations.STARTED_EVENT);
			assertThat(call.annotationTimestampAt(0)).isBetween(call.startTimestamp(), body.startTimestamp());
			assertThat(call.parentId()).as("a call made without a caller's span starts a trace").isNull();
		});
	}

	@Test
	void failedCallSpanHasErrorOutcomeAndTheException() {
		this.contextRunner.run((context) -> {
			TracedService service = context.getBean(TracedService.class);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> service.fail().get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(IllegalStateException.class);
			MutableSpan call = callSpan("fail");
			assertThat(call.tags()).containsEntry("outcome", "error");
			assertThat(call.error()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
		});
	}

	@Test
	void timedOutCallSpanHasTimeoutOutcome() {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			CountDownLatch never = new CountDownLatch(1);
			CompletableFuture<Boolean> result = offloader.timeout(Duration.ofMillis(50))
				.call(() -> never.await(5, TimeUnit.SECONDS));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			MutableSpan call = callSpan("call");
			assertThat(call.tags()).containsEntry("outcome", "timeout")
				.containsEntry("class", Offloader.class.getName())
				.containsEntry("method", "call");
			assertThat(call.error()).isInstanceOf(TimeoutException.class);
		});
	}

	@Test
	void noSecondMeterNextToOffloadCallsWithBootsMeterObservationHandler() {
		new ApplicationContextRunner().withConfiguration(MetricsAutoConfigurations.registry())
			.withConfiguration(MetricsAutoConfigurations.observation())
			.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class,
					OffloadMetricsAutoConfiguration.class, OffloadObservationAutoConfiguration.class))
			.withBean(Tracer.class, () -> this.tracer)
			.withBean(DefaultTracingObservationHandler.class, () -> new DefaultTracingObservationHandler(this.tracer))
			.withBean(TracedService.class)
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				TracedService service = context.getBean(TracedService.class);
				Observation.createNotStarted("caller", registry).observe(service::work).get(5, TimeUnit.SECONDS);
				assertThat(callSpan("work").parentId()).isEqualTo(span("caller").id());
				assertThat(meters.get("offload.calls").tag("outcome", "success").timer().count()).isOne();
				assertThat(meters.get("offload.wait").timer().count()).isOne();
				assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
					.filteredOn((name) -> name.startsWith("offload.call") && !name.equals("offload.calls"))
					.isEmpty();
				// Boot's meter handler still meters every other observation.
				assertThat(meters.get("caller").timer().count()).isOne();
				assertThat(meters.get("body").timer().count()).isOne();
			});
	}

	@Test
	void whenDisabledByPropertyCallsAreNotObserved() {
		this.contextRunner.withPropertyValues("offload.observation.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(OffloadCallObserver.class);
			assertBodySpanIsChildOfCallersSpan(context.getBean(ObservationRegistry.class),
					context.getBean(TracedService.class));
		});
	}

	@Test
	void whenObservationPropagationIsOffCallsAreNotObserved() {
		this.contextRunner.withPropertyValues("offload.propagation.observation=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OffloadCallObserver.class));
	}

	@Test
	void withoutTracingClassesCallsWorkAsBefore() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(OffloadCallObserver.class)
				.doesNotHaveBean(OffloadCallMeterObservationHandler.class);
			assertBodySpanIsChildOfCallersSpan(context.getBean(ObservationRegistry.class),
					context.getBean(TracedService.class));
		});
	}

	@Test
	void withoutATracerCallsAreNotObserved() {
		List<Observation.Context> observed = new CopyOnWriteArrayList<>();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> {
				ObservationRegistry registry = ObservationRegistry.create();
				registry.observationConfig().observationHandler(new ObservationHandler<>() {

					@Override
					public void onStart(Observation.Context context) {
						observed.add(context);
					}

					@Override
					public boolean supportsContext(Observation.Context context) {
						return true;
					}

				});
				return registry;
			})
			.withBean(TracedService.class)
			.run((context) -> {
				assertThat(context.getBean(OffloadCallObserver.class)).isSameAs(OffloadCallObserver.NONE);
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("caller", registry)
					.observe(context.getBean(TracedService.class)::work)
					.get(5, TimeUnit.SECONDS);
				assertThat(observed).extracting(Observation.Context::getName).containsExactly("caller", "body");
				assertThat(observed).noneMatch(OffloadObservationContext.class::isInstance);
			});
	}

	@Test
	void withMicrometersNoopTracerCallsAreNotObserved() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadObservationAutoConfiguration.class))
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(ObservationRegistry.class, this::observationRegistry)
			.run((context) -> assertThat(context.getBean(OffloadCallObserver.class))
				.isSameAs(OffloadCallObserver.NONE));
	}

	@Test
	void conventionBeanNamesTheCallsSpans() {
		this.contextRunner
			.withBean(OffloadObservationConvention.class, () -> new DefaultOffloadObservationConvention() {

				@Override
				public String getContextualName(OffloadObservationContext context) {
					return "blocking " + context.getSite().getMethodName();
				}

			})
			.run((context) -> {
				context.getBean(TracedService.class).work().get(5, TimeUnit.SECONDS);
				assertThat(this.spans).extracting(MutableSpan::name).contains("blocking work");
			});
	}

	private void assertBodySpanIsChildOfCallersSpan(ObservationRegistry registry, TracedService service)
			throws Exception {
		Observation.createNotStarted("caller", registry).observe(service::work).get(5, TimeUnit.SECONDS);
		assertThat(this.spans).extracting(MutableSpan::name).containsExactlyInAnyOrder("caller", "body");
		assertThat(span("body").parentId()).isEqualTo(span("caller").id());
	}

	/**
	 * Returns the span of the call to the given method, checking its name: Micrometer
	 * Tracing's Brave bridge writes names in lower hyphen case up to 1.5 (Boot 3.5).
	 */
	private MutableSpan callSpan(String method) {
		MutableSpan span = this.spans.stream()
			.filter((candidate) -> method.equals(candidate.tag("method")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span of a call to " + method + " in " + this.spans));
		String className = method.equals("call") ? "offloader" : "tracedService";
		assertThat(span.name()).isIn("offload " + className + "." + method,
				"offload " + className.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT) + "." + method);
		return span;
	}

	private MutableSpan span(String name) {
		return this.spans.stream()
			.filter((span) -> name.equals(span.name()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span named " + name + " in " + this.spans));
	}

	public static class TracedService {

		@Autowired
		private ObservationRegistry registry;

		@Offload
		public CompletableFuture<String> work() {
			return Observation.createNotStarted("body", this.registry)
				.observe(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()));
		}

		@Offload
		public CompletableFuture<String> fail() {
			throw new IllegalStateException("boom");
		}

		@Offload
		public CompletableFuture<Void> block(CountDownLatch release) throws InterruptedException {
			release.await(5, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture(null);
		}

	}

}
