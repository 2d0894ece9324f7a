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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Faults in bodies: errors, swallowed interrupts and interrupt flags left behind. The
 * pool keeps serving, and the next task on the same worker starts clean.
 */
class FaultReliabilityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.one.core-size=1");

	@Test
	void stackOverflowErrorFailsTheCallAndThePoolKeepsServing() {
		this.contextRunner.run((context) -> {
			Offloader one = context.getBean(Offloader.class).executor("one");
			String worker = one.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			CompletableFuture<Integer> overflow = one.call(() -> recurse(0));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> overflow.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(StackOverflowError.class);
			assertNextTaskStartsClean(one, worker);
		});
	}

	@Test
	void outOfMemoryErrorFailsTheCallWithThatErrorAndThePoolKeepsServing() {
		this.contextRunner.run((context) -> {
			Offloader one = context.getBean(Offloader.class).executor("one");
			String worker = one.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			OutOfMemoryError error = new OutOfMemoryError("thrown on purpose");
			CompletableFuture<Object> failing = one.call(() -> {
				throw error;
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isSameAs(error);
			assertNextTaskStartsClean(one, worker);
		});
	}

	@Test
	void bodyThatSetsTheInterruptFlagAndReturnsDoesNotInterruptTheNextTask() {
		this.contextRunner.run((context) -> {
			Offloader one = context.getBean(Offloader.class).executor("one");
			String worker = one.call(() -> {
				MDC.put("leftBehind", "yes");
				Thread.currentThread().interrupt();
				return Thread.currentThread().getName();
			}).get(5, TimeUnit.SECONDS);
			assertNextTaskStartsClean(one, worker);
		});
	}

	@Test
	void bodyThatSwallowsItsInterruptIsCancelledAndThePoolKeepsServing() {
		this.contextRunner.run((context) -> {
			Offloader one = context.getBean(Offloader.class).executor("one");
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch swallowed = new CountDownLatch(1);
			AtomicBoolean finish = new AtomicBoolean();
			CompletableFuture<String> stubborn = one.call(() -> {
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
			CompletableFuture<Boolean> next = one.call(() -> Thread.currentThread().isInterrupted());
			assertThat(next).isNotDone();
			finish.set(true);
			assertThat(next.get(5, TimeUnit.SECONDS)).isFalse();
		});
	}

	@Test
	void timedOutBodyThatSwallowsItsInterruptLeavesNoFlagForTheNextTask() {
		this.contextRunner.run((context) -> {
			Offloader one = context.getBean(Offloader.class).executor("one");
			String worker = one.call(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
			CompletableFuture<String> slow = one.timeout(Duration.ofMillis(50)).call(() -> {
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
			assertNextTaskStartsClean(one, worker);
		});
	}

	private static int recurse(int depth) {
		return recurse(depth + 1) + 1;
	}

	private static void assertNextTaskStartsClean(Offloader one, String worker) throws Exception {
		String seen = one
			.call(() -> Thread.currentThread().getName() + " interrupted=" + Thread.currentThread().isInterrupted()
					+ " mdc=" + MDC.getCopyOfContextMap())
			.get(5, TimeUnit.SECONDS);
		assertThat(seen).isEqualTo(worker + " interrupted=false mdc=null");
		Load.report("faults", "next task on " + worker + ": " + seen);
	}

}
