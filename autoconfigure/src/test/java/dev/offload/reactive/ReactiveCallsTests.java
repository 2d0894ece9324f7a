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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;

import dev.offload.autoconfigure.MetricsAutoConfigurations;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadMetricsAutoConfiguration;
import dev.offload.executor.BlockingBody;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code @Offload} methods returning {@code Mono} and {@code Flux}: each row
 * and sentence of the spec's "Event loops" section.
 */
class ReactiveCallsTests {

	private static final Duration BOUND = Duration.ofSeconds(Latches.SECONDS);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
		.withConfiguration(MetricsAutoConfigurations.registry())
		.withPropertyValues("offload.executors.io.core-size=1", "offload.executors.io.queue-capacity=1")
		.withUserConfiguration(ServiceConfiguration.class);

	private static ReactiveService service(AssertableApplicationContext context) {
		return context.getBean(ReactiveService.class);
	}

	private static OffloadExecutor io(AssertableApplicationContext context) {
		return context.getBean(OffloadExecutors.class).get("io");
	}

	private static long calls(AssertableApplicationContext context, String method, OffloadOutcome outcome) {
		Timer timer = context.getBean(MeterRegistry.class)
			.find("offload.calls")
			.tags("executor", "io", "class", ReactiveService.class.getName(), "method", method, "outcome",
					outcome.tagValue())
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	// Mono

	@Test
	void monoSignalsTheValueFromTheWorker() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			StepVerifier.create(proxy.mono()).expectNext("value").expectComplete().verify(BOUND);
			assertThat(service.bodyThreads).singleElement().asString().startsWith("offload-io-");
		});
	}

	@Test
	void monoOfAnEmptyBodyCompletesEmpty() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			service.body = Mono::empty;
			StepVerifier.create(proxy.mono()).expectComplete().verify(BOUND);
			service.body = () -> null;
			StepVerifier.create(proxy.mono()).expectComplete().verify(BOUND);
		});
	}

	@Test
	void monoSignalsTheSameExceptionInstanceThrownOrSignalledByTheBody() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			IOException signalled = new IOException("signalled");
			service.body = () -> Mono.error(signalled);
			StepVerifier.create(proxy.mono())
				.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(signalled))
				.verify(BOUND);
			IllegalStateException unchecked = new IllegalStateException("signalled");
			service.body = () -> Mono.error(unchecked);
			StepVerifier.create(proxy.mono())
				.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(unchecked))
				.verify(BOUND);
			AssertionError error = new AssertionError("signalled");
			service.body = () -> Mono.error(error);
			StepVerifier.create(proxy.mono())
				.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(error))
				.verify(BOUND);
			IOException thrown = new IOException("thrown");
			service.body = () -> {
				throw thrown;
			};
			StepVerifier.create(proxy.mono())
				.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(thrown))
				.verify(BOUND);
			assertThat(calls(context, "mono", OffloadOutcome.ERROR)).isEqualTo(4);
		});
	}

	@Test
	void monoSubscribesToTheBodysMonoOnTheWorker() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			service.body = () -> Mono.fromCallable(() -> Thread.currentThread().getName());
			StepVerifier.create(proxy.mono())
				.assertNext((thread) -> assertThat((String) thread).startsWith("offload-io-"))
				.expectComplete()
				.verify(BOUND);
		});
	}

	@Test
	void monoSubmitsNothingBeforeSubscriptionAndOneCallPerSubscription() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			Mono<Object> mono = proxy.mono();
			assertThat(service.runs).hasValue(0);
			assertThat(io(context).getInFlightCount()).isZero();
			assertThat(calls(context, "mono", OffloadOutcome.SUCCESS)).isZero();
			StepVerifier.create(mono).expectNext("value").expectComplete().verify(BOUND);
			StepVerifier.create(mono).expectNext("value").expectComplete().verify(BOUND);
			assertThat(service.runs).hasValue(2);
			assertThat(calls(context, "mono", OffloadOutcome.SUCCESS)).isEqualTo(2);
		});
	}

	@Test
	void monoOnASaturatedExecutorSignalsRejectionWithoutBlockingTheSubscriber() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			CountDownLatch release = new CountDownLatch(1);
			BlockingBody running = BlockingBody.until(release);
			BlockingBody queued = BlockingBody.until(release);
			try {
				service.body = running;
				Disposable first = proxy.mono().subscribe();
				assertThat(running.awaitStarted()).isTrue();
				service.body = queued;
				Disposable second = proxy.mono().subscribe();
				await().atMost(BOUND).until(() -> io(context).getQueueSize() == 1);
				// Threads busy, queue full: subscribed on this thread, signalled at once.
				StepVerifier.create(proxy.mono())
					.expectError(RejectedExecutionException.class)
					.verify(Duration.ofSeconds(1));
				assertThat(calls(context, "mono", OffloadOutcome.REJECTED)).isEqualTo(1);
				first.dispose();
				second.dispose();
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void disposingTheSubscriptionInterruptsTheRunningBody() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			BlockingBody body = BlockingBody.until(new CountDownLatch(1));
			service.body = body;
			Disposable subscription = proxy.mono().subscribe();
			assertThat(body.awaitStarted()).isTrue();
			subscription.dispose();
			assertThat(body.awaitInterrupted()).isTrue();
			await().atMost(BOUND).until(() -> calls(context, "mono", OffloadOutcome.CANCELLED) == 1);
			await().atMost(BOUND).until(() -> io(context).getInFlightCount() == 0);
		});
	}

	@Test
	void disposingAQueuedCallDropsItAndItNeverRuns() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			CountDownLatch release = new CountDownLatch(1);
			BlockingBody running = BlockingBody.until(release);
			BlockingBody queued = BlockingBody.until(release);
			service.body = running;
			Disposable first = proxy.mono().subscribe();
			assertThat(running.awaitStarted()).isTrue();
			service.body = queued;
			Disposable second = proxy.mono().subscribe();
			await().atMost(BOUND).until(() -> io(context).getQueueSize() == 1);
			second.dispose();
			assertThat(io(context).getQueueSize()).isZero();
			release.countDown();
			// A later call on the single worker runs after anything left in the queue.
			service.body = () -> "after";
			StepVerifier.create(proxy.mono()).expectNext("after").expectComplete().verify(BOUND);
			assertThat(queued.hasStarted()).isFalse();
			assertThat(service.runs).hasValue(2);
			assertThat(calls(context, "mono", OffloadOutcome.CANCELLED)).isEqualTo(1);
			first.dispose();
		});
	}

	@Test
	void aTimeoutOperatorCancelsTheCallLikeCancelTrue() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			BlockingBody body = BlockingBody.until(new CountDownLatch(1));
			service.body = body;
			StepVerifier.create(proxy.mono().timeout(Duration.ofMillis(200)))
				.expectError(TimeoutException.class)
				.verify(BOUND);
			assertThat(body.awaitInterrupted()).isTrue();
			await().atMost(BOUND).until(() -> calls(context, "mono", OffloadOutcome.CANCELLED) == 1);
		});
	}

	@Test
	void theAnnotationTimeoutSignalsTimeoutExceptionAndInterruptsTheBody() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			BlockingBody body = BlockingBody.until(new CountDownLatch(1));
			service.body = body;
			StepVerifier.create(proxy.monoWithTimeout())
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(TimeoutException.class)
					.hasMessageContaining("ReactiveService.monoWithTimeout()")
					.hasMessageContaining("timed out after 300ms"))
				.verify(BOUND);
			assertThat(body.awaitInterrupted()).isTrue();
			assertThat(calls(context, "monoWithTimeout", OffloadOutcome.TIMEOUT)).isEqualTo(1);
		});
	}

	@Test
	void theExecutorTimeoutSignalsTimeoutException() {
		this.contextRunner.withPropertyValues("offload.executors.io.timeout=200ms").run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			BlockingBody body = BlockingBody.until(new CountDownLatch(1));
			service.body = body;
			StepVerifier.create(proxy.mono()).expectError(TimeoutException.class).verify(BOUND);
			assertThat(body.awaitInterrupted()).isTrue();
			assertThat(calls(context, "mono", OffloadOutcome.TIMEOUT)).isEqualTo(1);
		});
	}

	// Flux

	@Test
	void fluxEmitsTheBodysElementsInOrder() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			StepVerifier.create(proxy.flux()).expectNext("a", "b", "c").expectComplete().verify(BOUND);
			assertThat(calls(context, "flux", OffloadOutcome.SUCCESS)).isEqualTo(1);
		});
	}

	@Test
	void fluxOfAnEmptyBodyCompletesEmptyAndSignalsTheSameException() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			service.source = Flux::empty;
			StepVerifier.create(proxy.flux()).expectComplete().verify(BOUND);
			IOException failure = new IOException("cursor failed");
			service.source = () -> Flux.concat(Flux.just("a"), Flux.error(failure));
			StepVerifier.create(proxy.flux())
				.expectNext("a")
				.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(failure))
				.verify(BOUND);
			assertThat(calls(context, "flux", OffloadOutcome.ERROR)).isEqualTo(1);
		});
	}

	@Test
	void fluxSubmitsNothingBeforeSubscriptionAndOneCallPerSubscription() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			Flux<Object> flux = proxy.flux();
			assertThat(service.runs).hasValue(0);
			assertThat(io(context).getInFlightCount()).isZero();
			StepVerifier.create(flux).expectNextCount(3).expectComplete().verify(BOUND);
			StepVerifier.create(flux).expectNextCount(3).expectComplete().verify(BOUND);
			assertThat(service.runs).hasValue(2);
			assertThat(calls(context, "flux", OffloadOutcome.SUCCESS)).isEqualTo(2);
		});
	}

	@Test
	void aBlockingSourceIsReadOnTheWorkerAtTheSubscribersDemand() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(10);
			service.source = () -> Flux.fromIterable(cursor).take(10);
			// Small requests from the test thread: each is handed to the worker.
			StepVerifier.create(proxy.flux(), 0)
				.thenRequest(1)
				.expectNext(1)
				.thenRequest(2)
				.expectNext(2, 3)
				.thenRequest(7)
				.expectNextCount(7)
				.expectComplete()
				.verify(BOUND);
			assertThat(cursor.readers).singleElement().asString().startsWith("offload-io-");
		});
	}

	@Test
	void theCallIsRunningUntilTheBodysPublisherCompletes() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(2);
			service.source = () -> Flux.fromIterable(cursor);
			Disposable subscription = proxy.flux().subscribe();
			await().atMost(BOUND).until(() -> cursor.read.get() == 3);
			assertThat(io(context).getActiveCount()).isEqualTo(1);
			assertThat(io(context).getInFlightCount()).isEqualTo(1);
			subscription.dispose();
			assertThat(Latches.await(cursor.interrupted)).isTrue();
			await().atMost(BOUND).until(() -> io(context).getInFlightCount() == 0);
		});
	}

	@Test
	void takeCancelsTheCallAndStopsTheSource() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(100);
			service.source = () -> Flux.fromIterable(cursor);
			StepVerifier.create(proxy.flux().take(3)).expectNext(1, 2, 3).expectComplete().verify(BOUND);
			await().atMost(BOUND).until(() -> calls(context, "flux", OffloadOutcome.CANCELLED) == 1);
			await().atMost(BOUND).until(() -> io(context).getInFlightCount() == 0);
			assertThat(cursor.read.get()).isLessThan(100);
		});
	}

	@Test
	void disposingAFluxInterruptsTheBlockedSource() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(0);
			service.source = () -> Flux.fromIterable(cursor);
			Disposable subscription = proxy.flux().subscribe();
			assertThat(Latches.await(cursor.started)).isTrue();
			subscription.dispose();
			assertThat(Latches.await(cursor.interrupted)).isTrue();
			await().atMost(BOUND).until(() -> calls(context, "flux", OffloadOutcome.CANCELLED) == 1);
		});
	}

	@Test
	void fluxTimeoutsSignalTimeoutExceptionAndInterruptTheSource() {
		this.contextRunner.run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(2);
			service.source = () -> Flux.fromIterable(cursor);
			StepVerifier.create(proxy.fluxWithTimeout())
				.expectNext(1, 2)
				.expectError(TimeoutException.class)
				.verify(BOUND);
			assertThat(Latches.await(cursor.interrupted)).isTrue();
			assertThat(calls(context, "fluxWithTimeout", OffloadOutcome.TIMEOUT)).isEqualTo(1);
		});
	}

	@Test
	void fluxOnASaturatedExecutorSignalsRejection() {
		this.contextRunner.withPropertyValues("offload.executors.io.queue-capacity=0").run((context) -> {
			ReactiveService proxy = service(context);
			ReactiveService service = AopTestUtils.getTargetObject(proxy);
			ReactiveService.BlockingCursor cursor = new ReactiveService.BlockingCursor(0);
			service.source = () -> Flux.fromIterable(cursor);
			Disposable first = proxy.flux().subscribe();
			assertThat(Latches.await(cursor.started)).isTrue();
			StepVerifier.create(proxy.flux())
				.expectError(RejectedExecutionException.class)
				.verify(Duration.ofSeconds(1));
			assertThat(calls(context, "flux", OffloadOutcome.REJECTED)).isEqualTo(1);
			first.dispose();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		ReactiveService reactiveService() {
			return new ReactiveService();
		}

	}

}
