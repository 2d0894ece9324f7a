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

package dev.offload.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown under load: the context closes while thousands of calls are queued and
 * running. {@code close()} returns within {@code await-termination} plus the interrupt
 * grace, every future is done, and no worker thread outlives the bodies.
 */
class ShutdownReliabilityTests {

	private static final Duration AWAIT_TERMINATION = Duration.ofMillis(500);

	private static final int CALLS = 3000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.busy.core-size=8", "offload.executors.busy.queue-capacity=5000",
				"offload.executors.busy.await-termination=" + AWAIT_TERMINATION.toMillis() + "ms");

	@Test
	void closeUnderLoadCompletesEveryFutureInBoundedTime() {
		closeUnderLoad("busy", "offload-busy-");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void closeUnderLoadOfVirtualExecutorCompletesEveryFutureInBoundedTime() {
		closeUnderLoad("vbusy", "offload-vbusy-", "offload.executors.vbusy.virtual=true",
				"offload.executors.vbusy.max-concurrency=8", "offload.executors.vbusy.queue-capacity=5000",
				"offload.executors.vbusy.await-termination=" + AWAIT_TERMINATION.toMillis() + "ms");
	}

	private void closeUnderLoad(String executorName, String threadPrefix, String... properties) {
		AtomicInteger interruptsSeen = new AtomicInteger();
		AtomicInteger ignoringBodies = new AtomicInteger();
		Set<Thread> workers = ConcurrentHashMap.newKeySet();
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executorName);
			CompletableFuture<?>[] futures = new CompletableFuture<?>[CALLS];
			for (int i = 0; i < CALLS; i++) {
				boolean ignoresInterrupts = i % 100 == 0;
				futures[i] = offloader.call(() -> {
					workers.add(Thread.currentThread());
					if (ignoresInterrupts) {
						ignoringBodies.incrementAndGet();
						long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1800);
						boolean interrupted = false;
						while (System.nanoTime() < end) {
							try {
								Thread.sleep(5);
							}
							catch (InterruptedException ex) {
								interrupted = true;
							}
						}
						if (interrupted) {
							interruptsSeen.incrementAndGet();
						}
						return "ignored the interrupt";
					}
					try {
						Load.work(5000 + Load.random(15000));
					}
					catch (InterruptedException ex) {
						interruptsSeen.incrementAndGet();
						throw ex;
					}
					return "finished";
				});
			}
			OffloadExecutors executors = context.getBean(OffloadExecutors.class);
			int queuedAtClose = executors.get(executorName).getQueueSize();
			int runningAtClose = executors.get(executorName).getActiveCount();
			long start = System.nanoTime();
			((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
			long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			List<CompletableFuture<?>> all = List.of(futures);
			assertThat(all).allMatch(CompletableFuture::isDone);
			Map<OffloadOutcome, Integer> outcomes = Load.outcomes(all, Duration.ofSeconds(1));
			// A body that ignores its interrupt keeps its thread until it returns (here
			// after 1.8 s).
			await().atMost(Duration.ofSeconds(5)).until(() -> workers.stream().noneMatch(Thread::isAlive));
			assertThat(Load.count(Thread.getAllStackTraces().keySet(), threadPrefix)).isZero();
			Load.report("shutdown under load (" + executorName + ")",
					"submitted=" + CALLS + " queuedAtClose=" + queuedAtClose + " runningAtClose=" + runningAtClose
							+ " closeMillis=" + closeMillis + " workerThreadsUsed=" + workers.size() + " outcomes="
							+ outcomes + " interruptsSeen=" + interruptsSeen.get() + " bodiesIgnoringInterrupts="
							+ ignoringBodies.get());
			assertThat(closeMillis)
				.isLessThan(AWAIT_TERMINATION.toMillis() + OffloadExecutors.INTERRUPT_GRACE_MILLIS + 1000);
			assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CALLS);
			assertThat(outcomes.get(OffloadOutcome.REJECTED)).as("calls that never started").isPositive();
			assertThat(interruptsSeen.get()).as("bodies running past the bound were interrupted").isPositive();
			assertThat(outcomes.get(OffloadOutcome.SUCCESS) + outcomes.get(OffloadOutcome.ERROR)
					+ outcomes.get(OffloadOutcome.CANCELLED) + outcomes.get(OffloadOutcome.REJECTED))
				.isEqualTo(CALLS);
		});
	}

}
