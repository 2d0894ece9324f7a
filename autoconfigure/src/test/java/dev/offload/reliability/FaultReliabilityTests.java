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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.SingleThreadWorker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults in bodies: errors, swallowed interrupts and interrupt flags left behind. The
 * executor keeps serving on the same worker, and the application's next plain task on
 * that worker starts clean.
 * <p>
 * Each scenario runs on {@code one}, a pool of one platform thread, and on {@code app}, a
 * {@code bean:} executor with one thread that clears nothing between tasks. The next task
 * is a plain task on the worker's thread, not another offloaded call, whose restore would
 * install its own context first; and only on {@code app} can it see an interrupt flag
 * left behind, since a {@code ThreadPoolExecutor} clears the flag before each task.
 */
class FaultReliabilityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withBean("appWorker", SingleThreadWorker.class, () -> new SingleThreadWorker("app-worker-1"))
		.withPropertyValues("offload.executors.one.core-size=1", "offload.executors.app.bean=appWorker");

	@ParameterizedTest
	@ValueSource(strings = { "one", "app" })
	void stackOverflowErrorFailsTheCallAndTheExecutorKeepsServing(String executor) {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executor);
			String worker = offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			CompletableFuture<Integer> overflow = offloader.call(() -> recurse(0));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> overflow.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(StackOverflowError.class);
			assertNextTaskStartsClean(context, executor, worker);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "one", "app" })
	void outOfMemoryErrorFailsTheCallWithThatErrorAndTheExecutorKeepsServing(String executor) {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executor);
			String worker = offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			OutOfMemoryError error = new OutOfMemoryError("thrown on purpose");
			CompletableFuture<Object> failing = offloader.call(() -> {
				throw error;
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(error);
			assertNextTaskStartsClean(context, executor, worker);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "one", "app" })
	void bodyThatSetsTheInterruptFlagAndReturnsDoesNotInterruptTheNextTask(String executor) {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executor);
			String worker = offloader.call(() -> {
				MDC.put("leftBehind", "yes");
				Thread.currentThread().interrupt();
				return Thread.currentThread().getName();
			}).get(5, TimeUnit.SECONDS);
			assertNextTaskStartsClean(context, executor, worker);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "one", "app" })
	void bodyThatSwallowsItsInterruptIsCancelledAndTheExecutorKeepsServing(String executor) {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executor);
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch swallowed = new CountDownLatch(1);
			AtomicBoolean finish = new AtomicBoolean();
			CompletableFuture<String> stubborn = offloader.call(() -> {
				started.countDown();
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (!finish.get() && System.nanoTime() < deadline) {
					try {
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						swallowed.countDown();
					}
				}
				return Thread.currentThread().getName();
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(stubborn.cancel(true)).isTrue();
			assertThat(swallowed.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(stubborn).isCancelled();
			CompletableFuture<String> next = offloader.call(() -> Thread.currentThread().getName());
			assertThat(next).isNotDone();
			finish.set(true);
			String worker = next.get(5, TimeUnit.SECONDS);
			assertNextTaskStartsClean(context, executor, worker);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "one", "app" })
	void timedOutBodyThatSwallowsItsInterruptLeavesNoFlagForTheNextTask(String executor) {
		this.contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor(executor);
			String worker = offloader.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			CompletableFuture<String> slow = offloader.timeout(Duration.ofMillis(50)).call(() -> {
				try {
					Thread.sleep(5000);
				}
				catch (InterruptedException ex) {
					// swallowed, and the flag is not restored
				}
				return "late";
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(java.util.concurrent.TimeoutException.class);
			assertNextTaskStartsClean(context, executor, worker);
		});
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	/**
	 * The application's next plain task on the worker (queued behind the faulty call, so
	 * it runs once that call is over) sees no interrupt and no MDC; then the executor
	 * still serves calls, on the same worker.
	 */
	private static void assertNextTaskStartsClean(AssertableApplicationContext context, String executor, String worker)
			throws Exception {
		String seen = plainTask(context, executor, () -> Thread.currentThread().getName() + " interrupted="
				+ Thread.currentThread().isInterrupted() + " mdc=" + MDC.getCopyOfContextMap());
		assertThat(seen).isEqualTo(worker + " interrupted=false mdc=null");
		assertThat(context.getBean(Offloader.class)
			.executor(executor)
			.call(() -> Thread.currentThread().getName())
			.get(5, TimeUnit.SECONDS)).isEqualTo(worker);
		Load.report("faults", "next task on " + worker + ": " + seen);
	}

	private static String plainTask(AssertableApplicationContext context, String executor, Callable<String> task)
			throws Exception {
		if (executor.equals("app")) {
			return context.getBean(SingleThreadWorker.class).runPlain(task);
		}
		PlatformOffloadExecutor platform = (PlatformOffloadExecutor) context.getBean(OffloadExecutors.class)
			.get(executor);
		return platform.getThreadPoolExecutor().submit(task).get(5, TimeUnit.SECONDS);
	}

}
