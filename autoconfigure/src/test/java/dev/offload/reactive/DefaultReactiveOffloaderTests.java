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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import dev.offload.OffloadScope;
import dev.offload.OffloadScope.Member;
import dev.offload.context.ContextPropagator;
import dev.offload.executor.BlockingBody;
import dev.offload.executor.DefaultOffloader;
import dev.offload.executor.Latches;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultReactiveOffloader}: lazy calls on a named executor, and the
 * {@code Mono} form of an {@link OffloadScope}'s result.
 */
class DefaultReactiveOffloaderTests {

	private static final Duration BOUND = Duration.ofSeconds(Latches.SECONDS);

	private final OffloadExecutors executors = new OffloadExecutors(
			List.of(platform("default", 2, 10), platform("io", 1, 0)), "default");

	private final DefaultReactiveOffloader offloader = new DefaultReactiveOffloader(this.executors);

	private final CountDownLatch release = new CountDownLatch(1);

	private static PlatformOffloadExecutor platform(String name, int size, int queueCapacity) {
		return new PlatformOffloadExecutor(name, size, size, queueCapacity, Duration.ofSeconds(60),
				"offload-" + name + "-", null, Duration.ofSeconds(1), ContextPropagator.NONE);
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.executors.close();
	}

	@Test
	void monoRunsTheTaskOnTheNamedExecutorAtEachSubscription() {
		AtomicInteger runs = new AtomicInteger();
		Mono<String> mono = this.offloader.executor("io").mono(() -> {
			runs.incrementAndGet();
			return Thread.currentThread().getName();
		});
		assertThat(runs).hasValue(0);
		StepVerifier.create(mono).assertNext((name) -> assertThat(name).startsWith("offload-io-")).verifyComplete();
		StepVerifier.create(mono).expectNextCount(1).verifyComplete();
		assertThat(runs).hasValue(2);
	}

	@Test
	void monoOfNullIsEmptyAndRunCompletes() {
		StepVerifier.create(this.offloader.mono(() -> null)).expectComplete().verify(BOUND);
		AtomicInteger runs = new AtomicInteger();
		StepVerifier.create(this.offloader.run(runs::incrementAndGet)).expectComplete().verify(BOUND);
		assertThat(runs).hasValue(1);
	}

	@Test
	void monoSignalsTheTasksExceptionInstance() {
		IOException failure = new IOException("failed");
		StepVerifier.create(this.offloader.mono(() -> {
			throw failure;
		})).expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(failure)).verify(BOUND);
	}

	@Test
	void timeoutSignalsTimeoutExceptionAndInterruptsTheTask() throws Exception {
		BlockingBody body = BlockingBody.until(this.release);
		StepVerifier.create(this.offloader.timeout(Duration.ofMillis(200)).mono(body))
			.expectError(TimeoutException.class)
			.verify(BOUND);
		assertThat(body.awaitInterrupted()).isTrue();
	}

	@Test
	void saturatedExecutorSignalsRejection() throws Exception {
		BlockingBody body = BlockingBody.until(this.release);
		Disposable running = this.offloader.executor("io").mono(body).subscribe();
		assertThat(body.awaitStarted()).isTrue();
		StepVerifier.create(this.offloader.executor("io").mono(() -> "second"))
			.expectError(RejectedExecutionException.class)
			.verify(BOUND);
		running.dispose();
	}

	@Test
	void fluxDrainsTheSourceOnTheExecutor() {
		StepVerifier
			.create(this.offloader.executor("io")
				.flux(() -> Flux.range(1, 3).map((i) -> Thread.currentThread().getName())))
			.expectNextMatches((name) -> name.startsWith("offload-io-"))
			.expectNextCount(2)
			.verifyComplete();
	}

	@Test
	void scopeJoinAsMonoSignalsTheResult() {
		OffloadScope scope = new DefaultOffloader(this.executors).scope(BOUND);
		Member<String> first = scope.call(() -> "a");
		Member<String> second = scope.call(() -> "b");
		StepVerifier.create(this.offloader.join(scope, () -> first.get() + second.get()))
			.expectNext("ab")
			.expectComplete()
			.verify(BOUND);
		StepVerifier.create(this.offloader.join(scope)).expectComplete().verify(BOUND);
	}

	@Test
	void scopeJoinAsMonoSignalsTheFirstFailure() {
		OffloadScope scope = new DefaultOffloader(this.executors).scope();
		IOException failure = new IOException("member failed");
		BlockingBody slow = BlockingBody.until(this.release);
		scope.call(slow);
		scope.call(() -> {
			throw failure;
		});
		StepVerifier.create(this.offloader.join(scope, () -> "never"))
			.expectErrorSatisfies((ex) -> assertThat(ex).isSameAs(failure))
			.verify(BOUND);
	}

	@Test
	void cancellingTheScopesMonoCancelsTheGroup() throws Exception {
		OffloadScope scope = new DefaultOffloader(this.executors).scope();
		BlockingBody body = BlockingBody.until(this.release);
		scope.call(body);
		Disposable subscription = this.offloader.join(scope, () -> "never").subscribe();
		assertThat(body.awaitStarted()).isTrue();
		subscription.dispose();
		assertThat(body.awaitInterrupted()).isTrue();
		assertThat(scope.join()).isCancelled();
	}

	@Test
	void scopeMonoIsLazy() {
		OffloadScope scope = new DefaultOffloader(this.executors).scope();
		Member<String> member = scope.call(() -> "a");
		AtomicInteger results = new AtomicInteger();
		Mono<String> mono = this.offloader.join(scope, () -> {
			results.incrementAndGet();
			return member.get();
		});
		scope.join().join();
		assertThat(results).hasValue(0);
		StepVerifier.create(mono).expectNext("a").expectComplete().verify(BOUND);
		assertThat(results).hasValue(1);
	}

}
