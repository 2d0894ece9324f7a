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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.OffloadCallSite.TaskKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for a {@link VirtualOffloadExecutor} whose thread factory fails to start a thread
 * (out of memory, a thread limit): the permit goes back to the calls waiting for one.
 * Platform threads stand in for virtual ones, so this runs on every JDK.
 */
class VirtualThreadStartFailureTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private OffloadExecutors registry;

	@AfterEach
	void close() {
		this.release.countDown();
		if (this.registry != null) {
			this.registry.close();
		}
	}

	@Test
	void threadThatFailsToStartGivesItsPermitToACallQueuedMeanwhile() throws Exception {
		CountDownLatch inFactory = new CountDownLatch(1);
		CountDownLatch fail = new CountDownLatch(1);
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory firstThreadFails = (runnable) -> {
			if (threads.incrementAndGet() == 1) {
				inFactory.countDown();
				awaitUninterruptibly(fail);
				throw new OutOfMemoryError("unable to create native thread (test)");
			}
			return new Thread(runnable);
		};
		VirtualOffloadExecutor executor = new VirtualOffloadExecutor("failing", 1, 10, "failing-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE, firstThreadFails);
		this.registry = new OffloadExecutors(List.of(executor), "failing");
		OffloadCallSite site = new OffloadCallSite(executor, 0, "com.example.Failing", "call", "Failing.call()", false,
				TaskKind.CALLABLE);
		// The first call takes the only permit, and its thread fails to start while a
		// second call, finding no permit, waits in the queue.
		CompletableFuture<CompletableFuture<String>> unlucky = CompletableFuture
			.supplyAsync(() -> site.submit((Callable<String>) () -> "unlucky"));
		assertThat(inFactory.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<String> queued = site.submit((Callable<String>) () -> "queued");
		assertThat(executor.getQueueSize()).isEqualTo(1);
		fail.countDown();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> unlucky.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(RejectedExecutionException.class)
			.withMessageContaining("could not start a virtual thread");
		// The permit the failed start gave back goes to the queued call at once, not
		// at the next release (there is none).
		assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("queued");
		assertThat(threads).hasValue(2);
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
