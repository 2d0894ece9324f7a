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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Micrometer Tracing (Brave) and an in-memory span handler: a span the caller
 * started is the parent of a span the offloaded body starts.
 */
class TracingPropagationTests {

	private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

	private final Tracing tracing = Tracing.newBuilder()
		.currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
		.addSpanHandler(new SpanHandler() {

			@Override
			public boolean end(TraceContext context, MutableSpan span, Cause cause) {
				TracingPropagationTests.this.spans.add(span);
				return true;
			}

		})
		.build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withBean(ObservationRegistry.class, this::observationRegistry)
		.withBean(TracedService.class);

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	private ObservationRegistry observationRegistry() {
		BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
				new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		return registry;
	}

	@Test
	void spanStartedInBodyIsChildOfCallersSpan() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			TracedService service = context.getBean(TracedService.class);
			CompletableFuture<String> result = Observation.createNotStarted("caller", registry).observe(service::work);
			assertThat(result.get(5, TimeUnit.SECONDS)).startsWith("offload-default-");
			MutableSpan caller = span("caller");
			MutableSpan body = span("body");
			assertThat(body.traceId()).isEqualTo(caller.traceId());
			assertThat(body.parentId()).isEqualTo(caller.id());
			assertThat(this.tracing.currentTraceContext().get()).isNull();
		});
	}

	@Test
	void bodyWithoutCallerSpanStartsANewTrace() {
		this.contextRunner.run((context) -> {
			TracedService service = context.getBean(TracedService.class);
			service.work().get(5, TimeUnit.SECONDS);
			assertThat(span("body").parentId()).isNull();
		});
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

	}

}
