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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.InFlightCall.State;
import dev.offload.executor.OffloadCallSite.TaskKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link InFlightCall} and {@link OffloadExecutors#getInFlightCalls()}: the
 * read-only view of the calls in flight that test support waits on.
 */
class InFlightCallTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor io = new PlatformOffloadExecutor("io", 1, 1, 10, Duration.ofSeconds(60),
			"offload-io-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final PlatformOffloadExecutor jdbc = new PlatformOffloadExecutor("jdbc", 1, 1, 10, Duration.ofSeconds(60),
			"offload-jdbc-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.io, this.jdbc), "io");

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	private static OffloadCallSite site(OffloadExecutor executor, String method, boolean fireAndForget) {
		return new OffloadCallSite(executor, 0, "com.example.Reports", method, "Reports." + method + "()",
				fireAndForget, TaskKind.CALLABLE);
	}

	@Test
	void describesRunningAndQueuedCallsOnEveryExecutor() throws Exception {
		CountDownLatch started = new CountDownLatch(2);
		BlockingBody running = BlockingBody.until(this.release).returning("running").countingDown(started);
		BlockingBody other = BlockingBody.until(this.release).returning("other").countingDown(started);
		long before = System.nanoTime();
		OffloadCall<String> first = site(this.io, "render", false).submit(running);
		OffloadCall<String> queued = site(this.io, "queued", true).submit(running);
		OffloadCall<String> onJdbc = site(this.jdbc, "load", false).submit(other);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		List<InFlightCall> calls = this.registry.getInFlightCalls();
		assertThat(calls)
			.extracting((call) -> call.getSite().getDescription(), InFlightCall::getExecutor, InFlightCall::getState)
			.containsExactly(tuple("Reports.render()", "io", State.RUNNING),
					tuple("Reports.queued()", "io", State.QUEUED), tuple("Reports.load()", "jdbc", State.RUNNING));
		InFlightCall queuedCall = calls.get(1);
		assertThat(queuedCall.getSite().getClassName()).isEqualTo("com.example.Reports");
		assertThat(queuedCall.getSite().getMethodName()).isEqualTo("queued");
		assertThat(queuedCall.getSite().isFireAndForget()).isTrue();
		assertThat(queuedCall.isFutureCompleted()).isFalse();
		assertThat(queuedCall.startedSince(before)).isTrue();
		assertThat(queuedCall.startedSince(System.nanoTime())).isFalse();
		assertThat(queuedCall.getAge()).isPositive();
		assertThat(queuedCall.toString())
			.matches("Reports\\.queued\\(\\) on executor 'io': queued, in flight for \\d+ ms \\(fire-and-forget\\)");
		this.release.countDown();
		CompletableFuture.allOf(first, queued, onJdbc).get(5, TimeUnit.SECONDS);
		awaitNoneInFlight();
	}

	@Test
	void callStaysInFlightUntilTheDependentStagesTheWorkerRunsHaveRun() throws Exception {
		CountDownLatch inStage = new CountDownLatch(1);
		CountDownLatch leaveStage = new CountDownLatch(1);
		CountDownLatch bodyMayReturn = new CountDownLatch(1);
		OffloadCall<String> call = site(this.io, "render", false)
			.submit(BlockingBody.until(bodyMayReturn).returning("x"));
		CompletableFuture<String> chain = call.thenApply((value) -> value + "1").thenApply((value) -> {
			inStage.countDown();
			awaitUninterruptibly(leaveStage);
			return value + "2";
		});
		bodyMayReturn.countDown();
		assertThat(inStage.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(call).isDone();
		assertThat(this.registry.getInFlightCalls()).singleElement().satisfies((inFlight) -> {
			assertThat(inFlight.getState()).isEqualTo(State.COMPLETING);
			assertThat(inFlight.isFutureCompleted()).isTrue();
		});
		leaveStage.countDown();
		assertThat(chain.get(5, TimeUnit.SECONDS)).isEqualTo("x12");
		awaitNoneInFlight();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitNoneInFlight() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!this.registry.getInFlightCalls().isEmpty() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.registry.getInFlightCalls()).isEmpty();
	}

}
