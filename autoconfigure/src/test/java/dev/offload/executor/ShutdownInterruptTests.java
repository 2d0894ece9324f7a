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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutdown and the bodies whose futures are already done (cancelled without interrupt, or
 * timed out with the interrupt swallowed): {@code close()} interrupts them and waits for
 * them like any other, so that it leaves no thread of ours running. A platform pool does
 * so through {@code shutdownNow()}; a virtual executor must too.
 */
class ShutdownInterruptTests {

	private static final Duration AWAIT_TERMINATION = Duration.ofMillis(200);

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
	}

	private OffloadExecutors register(OffloadExecutor executor) {
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		return registry;
	}

	private static PlatformOffloadExecutor platform() {
		return new PlatformOffloadExecutor("pool", 2, 2, 10, Duration.ofSeconds(60), "race-pool-", null,
				AWAIT_TERMINATION, ContextPropagator.NONE);
	}

	private static VirtualOffloadExecutor virtual(String prefix) {
		return new VirtualOffloadExecutor("virtual", 2, 10, prefix, null, AWAIT_TERMINATION, ContextPropagator.NONE);
	}

	@Test
	void closeOfPlatformPoolInterruptsABodyWhoseFutureWasCancelledWithoutInterrupt() throws Exception {
		assertCloseInterruptsBodyAfterCancelWithoutInterrupt(platform());
	}

	/**
	 * Item 8.
	 */
	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void closeOfVirtualExecutorInterruptsABodyWhoseFutureWasCancelledWithoutInterrupt() throws Exception {
		assertCloseInterruptsBodyAfterCancelWithoutInterrupt(virtual("race-virtual-"));
	}

	@Test
	void closeOfPlatformPoolInterruptsABodyThatSwallowedItsTimeoutInterrupt() throws Exception {
		assertCloseInterruptsBodyThatSwallowedTimeout(platform());
	}

	/**
	 * Item 8.
	 */
	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void closeOfVirtualExecutorInterruptsABodyThatSwallowedItsTimeoutInterrupt() throws Exception {
		assertCloseInterruptsBodyThatSwallowedTimeout(virtual("race-virtual-"));
	}

	/**
	 * An executor bean's threads are its owner's: {@code close()} does not interrupt them
	 * through {@code shutdownNow()}, so the interrupt that cuts off a body which
	 * swallowed its timeout's interrupt is the call's own.
	 */
	@Test
	void closeOfExecutorBeanInterruptsABodyThatSwallowedItsTimeoutInterrupt() throws Exception {
		try (SingleThreadWorker worker = new SingleThreadWorker("bean-1")) {
			assertCloseInterruptsBodyThatSwallowedTimeout(
					new BeanOffloadExecutor("bean", "worker", worker, null, AWAIT_TERMINATION, ContextPropagator.NONE));
		}
	}

	/**
	 * Item 15: virtual threads are numbered from 1, like platform threads.
	 */
	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualThreadsAreNamedFromOne() throws Exception {
		VirtualOffloadExecutor executor = virtual("offload-named-");
		register(executor);
		OffloadCallSite site = Races.site(executor);
		assertThat(Races.call(site, () -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.isEqualTo("offload-named-1");
		assertThat(Races.call(site, () -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS))
			.isEqualTo("offload-named-2");
	}

	private void assertCloseInterruptsBodyAfterCancelWithoutInterrupt(OffloadExecutor executor) throws Exception {
		OffloadExecutors registry = register(executor);
		Body body = new Body(0);
		OffloadCall<String> call = Races.call(Races.site(executor), body);
		assertThat(body.started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(call.cancel(false)).isTrue();
		registry.close();
		assertThat(body.ended.getCount()).as("body still running after close() returned").isZero();
		assertThat(body.interrupts.get()).isEqualTo(1);
	}

	private void assertCloseInterruptsBodyThatSwallowedTimeout(OffloadExecutor executor) throws Exception {
		OffloadExecutors registry = register(executor);
		Body body = new Body(1);
		OffloadCall<String> call = Races.call(Races.site(executor, Duration.ofMillis(50)), body);
		assertThat(body.started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(Races.failureOf(call)).isInstanceOf(java.util.concurrent.TimeoutException.class);
		assertThat(body.swallowed.await(5, TimeUnit.SECONDS)).isTrue();
		registry.close();
		assertThat(body.ended.getCount()).as("body still running after close() returned").isZero();
		assertThat(body.interrupts.get()).isEqualTo(2);
	}

	/**
	 * A body that waits for the test's release, swallowing the first interrupts it is
	 * told to and returning on the next.
	 */
	private final class Body implements java.util.concurrent.Callable<String> {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch swallowed = new CountDownLatch(1);

		final CountDownLatch ended = new CountDownLatch(1);

		final AtomicInteger interrupts = new AtomicInteger();

		final AtomicReference<Thread> thread = new AtomicReference<>();

		private final int swallow;

		Body(int swallow) {
			this.swallow = swallow;
		}

		@Override
		public String call() {
			this.thread.set(Thread.currentThread());
			this.started.countDown();
			try {
				long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (System.nanoTime() < end) {
					try {
						ShutdownInterruptTests.this.release.await(end - System.nanoTime(), TimeUnit.NANOSECONDS);
						return "released";
					}
					catch (InterruptedException ex) {
						if (this.interrupts.incrementAndGet() > this.swallow) {
							return "interrupted";
						}
						this.swallowed.countDown();
					}
				}
				return "gave up";
			}
			finally {
				this.ended.countDown();
			}
		}

	}

}
