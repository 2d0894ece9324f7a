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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nested calls: a call offloaded from a body to the executor it runs on. The deadlock
 * guard must see the pool as the pool behaves (a thread beyond core starts only when the
 * queue is full), and a nested call run inline must leave the outer body's state, its
 * interrupt flag included, as it found it.
 */
class NestedCallRaceTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final List<ThreadPoolTaskExecutor> beans = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
		this.beans.forEach(ThreadPoolTaskExecutor::shutdown);
	}

	private <E extends OffloadExecutor> E register(E executor) {
		this.registries.add(new OffloadExecutors(List.of(executor), executor.getName()));
		return executor;
	}

	/**
	 * Item 6: core 1, max 2. The one thread is busy with the outer body, but a second
	 * thread would start only once the queue is full: the nested call must not be queued
	 * behind the body that waits for it.
	 */
	@Test
	void nestedCallDoesNotStarveWhenCoreSizeIsBelowMaxSize() throws Exception {
		PlatformOffloadExecutor executor = register(new PlatformOffloadExecutor("pool", 1, 2, 10,
				Duration.ofSeconds(60), "race-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE));
		assertNestedCallCompletes(executor);
	}

	/**
	 * Item 6: a {@code bean:} executor that is a {@code ThreadPoolTaskExecutor} with
	 * Spring's defaults (core 1, unbounded max and queue).
	 */
	@Test
	void nestedCallDoesNotStarveOnABeanThreadPoolTaskExecutorWithSpringDefaults() throws Exception {
		ThreadPoolTaskExecutor taskExecutor = new ThreadPoolTaskExecutor();
		taskExecutor.setThreadNamePrefix("race-bean-");
		taskExecutor.initialize();
		this.beans.add(taskExecutor);
		BeanOffloadExecutor executor = register(new BeanOffloadExecutor("bean", "taskExecutor", taskExecutor, null,
				Duration.ofSeconds(1), ContextPropagator.NONE));
		assertNestedCallCompletes(executor);
	}

	private void assertNestedCallCompletes(OffloadExecutor executor) throws Exception {
		OffloadCall<String> outer = Races.call(Races.site(executor),
				() -> Races.call(Races.site(executor), () -> "inner").get(3, TimeUnit.SECONDS));
		assertThat(Races.failureOf(outer)).as("failure of the outer call").isNull();
		assertThat(outer.get(5, TimeUnit.SECONDS)).isEqualTo("inner");
	}

	/**
	 * Item 5: the outer call times out and its body is interrupted; a nested call run
	 * inline afterwards must not swallow that interrupt.
	 */
	@Test
	void inlineNestedCallKeepsTheOuterBodysInterrupt() throws Exception {
		PlatformOffloadExecutor executor = register(new PlatformOffloadExecutor("pool", 1, 1, 10,
				Duration.ofSeconds(60), "race-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE));
		assertInlineNestedCallKeepsInterrupt(executor);
	}

	/**
	 * Item 5 on a virtual executor whose only permit is taken by the outer body.
	 */
	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void inlineNestedCallOnVirtualExecutorKeepsTheOuterBodysInterrupt() throws Exception {
		VirtualOffloadExecutor executor = register(new VirtualOffloadExecutor("virtual", 1, 10, "race-virtual-", null,
				Duration.ofSeconds(1), ContextPropagator.NONE));
		assertInlineNestedCallKeepsInterrupt(executor);
	}

	private void assertInlineNestedCallKeepsInterrupt(OffloadExecutor executor) throws Exception {
		AtomicBoolean sawInterrupt = new AtomicBoolean();
		AtomicBoolean interruptAfterNestedCall = new AtomicBoolean();
		CountDownLatch checked = new CountDownLatch(1);
		OffloadCall<String> outer = Races.call(Races.site(executor, Duration.ofMillis(100)), () -> {
			try {
				// Busy without looking at the interrupt, until the timeout has delivered
				// it.
				long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
					Thread.onSpinWait();
				}
				sawInterrupt.set(Thread.currentThread().isInterrupted());
				OffloadCall<String> nested = Races.call(Races.site(executor), () -> "inner");
				interruptAfterNestedCall.set(Thread.currentThread().isInterrupted());
				nested.join();
				return "outer";
			}
			finally {
				checked.countDown();
			}
		});
		assertThat(checked.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(sawInterrupt).as("outer body interrupted by its timeout").isTrue();
		assertThat(interruptAfterNestedCall).as("outer body still interrupted after the inline nested call").isTrue();
		// The timeout interrupts the body before it completes the future: wait for it.
		assertThat(Races.failureOf(outer)).isInstanceOf(TimeoutException.class);
	}

}
