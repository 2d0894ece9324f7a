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

package dev.offload.test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import dev.offload.Offload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.InFlightCall;
import dev.offload.test.autoconfigure.OffloadTestAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link OffloadQuiescence}: waiting until the offloaded calls are over,
 * through a real application context.
 */
class OffloadQuiescenceTests {

	private final Gates gates = new Gates();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadTestAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.core-size=1", "offload.executors.io.max-size=1",
				"offload.executors.jdbc.core-size=1", "offload.executors.jdbc.max-size=1")
		.withBean(Gates.class, () -> this.gates)
		.withUserConfiguration(Config.class);

	@AfterEach
	void release() {
		this.gates.release();
	}

	@Test
	void awaitReturnsOnceAFireAndForgetCallHasRun() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			work.audit("order-1");
			assertThat(this.gates.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(offload.isQuiet()).isFalse();
			this.gates.body.countDown();
			offload.await(Duration.ofSeconds(5));
			assertThat(this.gates.audited).containsExactly("order-1");
			assertThat(offload.isQuiet()).isTrue();
		});
	}

	@Test
	void awaitWaitsForTheDependentStagesTheWorkerRuns() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			CountDownLatch inLastStage = new CountDownLatch(1);
			CountDownLatch leaveLastStage = new CountDownLatch(1);
			Queue<String> seen = new ConcurrentLinkedQueue<>();
			CompletableFuture<String> future = work.load("a");
			future.thenApply((value) -> value + "b").thenApply((value) -> value + "c").thenAccept((value) -> {
				inLastStage.countDown();
				awaitUninterruptibly(leaveLastStage);
				seen.add(value);
			});
			this.gates.body.countDown();
			assertThat(inLastStage.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(future).isDone();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> offload.await(Duration.ofMillis(50)))
				.withMessageContaining("1 offloaded call still in flight after 50 ms (every executor):")
				.withMessageContaining("Work.load(String) on executor 'io': completing, in flight for ");
			leaveLastStage.countDown();
			offload.await(Duration.ofSeconds(5));
			assertThat(seen).containsExactly("abc");
		});
	}

	@Test
	void awaitFailsListingACallThatNeverFinishes() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			work.audit("stuck");
			work.audit("behind");
			assertThat(this.gates.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> offload.await(Duration.ofMillis(200)))
				.withMessageStartingWith("2 offloaded calls still in flight after 200 ms (every executor):")
				.withMessageMatching(
						"(?s).*\\n  - [\\w.$]+Work\\.audit\\(String\\) on executor 'io': running, in flight for "
								+ "\\d+ ms \\(fire-and-forget\\)\\R  - [\\w.$]+Work\\.audit\\(String\\) on executor 'io': queued, in "
								+ "flight for \\d+ ms \\(fire-and-forget\\)");
		});
	}

	@Test
	void awaitCoversSeveralExecutorsOrTheNamedOnes() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			CompletableFuture<String> onIo = work.load("io");
			CompletableFuture<Integer> onJdbc = work.count();
			assertThat(this.gates.started.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(offload.inFlightCalls()).extracting(InFlightCall::getExecutor)
				.containsExactlyInAnyOrder("io", "jdbc");
			this.gates.body.countDown();
			assertThat(onIo.get(5, TimeUnit.SECONDS)).isEqualTo("io");
			offload.onExecutors("io").await(Duration.ofSeconds(5));
			assertThat(onJdbc).isNotDone();
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> offload.await(Duration.ofMillis(50)))
				.withMessageContaining("Work.count() on executor 'jdbc': running");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> offload.onExecutors("jdbc").await(Duration.ofMillis(50)))
				.withMessageContaining("(executors jdbc)");
			this.gates.jdbc.countDown();
			offload.await(Duration.ofSeconds(5));
			assertThat(onJdbc).isCompletedWithValue(42);
		});
	}

	@Test
	void sinceNowLeavesOutTheCallsInFlightBefore() {
		this.contextRunner.run((context) -> {
			Work work = context.getBean(Work.class);
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			CompletableFuture<Integer> before = work.count();
			OffloadQuiescence mine = offload.sinceNow();
			assertThat(mine.toString()).contains("calls made since the mark");
			CompletableFuture<String> after = work.load("mine");
			this.gates.body.countDown();
			mine.await(Duration.ofSeconds(5));
			assertThat(after).isCompletedWithValue("mine");
			assertThat(before).isNotDone();
			assertThat(offload.isQuiet()).isFalse();
		});
	}

	@Test
	void onExecutorsRefusesAnExecutorThatIsNotConfigured() {
		this.contextRunner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(OffloadQuiescence.class).onExecutors("missing"))
			.withMessageContaining("No offload executor named 'missing'"));
	}

	@Test
	void applicationThatDoesNotOffloadIsAlwaysQuiet() {
		this.contextRunner.withPropertyValues("offload.enabled=false").run((context) -> {
			OffloadQuiescence offload = context.getBean(OffloadQuiescence.class);
			this.gates.body.countDown();
			context.getBean(Work.class).audit("inline");
			assertThat(this.gates.audited).containsExactly("inline");
			offload.await(Duration.ZERO);
			assertThat(offload.inFlightCalls()).isEmpty();
		});
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The latches the bodies wait on, each for at most 5 s.
	 */
	static class Gates {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch body = new CountDownLatch(1);

		final CountDownLatch jdbc = new CountDownLatch(1);

		final List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();

		void release() {
			this.body.countDown();
			this.jdbc.countDown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		Work work(Gates gates) {
			return new Work(gates);
		}

		/**
		 * Lets blocked bodies end when the context closes (before its executors shut
		 * down), so that closing does not wait for them.
		 */
		@Bean
		ApplicationListener<ContextClosedEvent> releaseGates(Gates gates) {
			return (event) -> gates.release();
		}

	}

	static class Work {

		private final Gates gates;

		Work(Gates gates) {
			this.gates = gates;
		}

		@Offload("io")
		public void audit(String entry) {
			this.gates.started.countDown();
			awaitUninterruptibly(this.gates.body);
			this.gates.audited.add(entry);
		}

		@Offload("io")
		public CompletableFuture<String> load(String value) {
			this.gates.started.countDown();
			awaitUninterruptibly(this.gates.body);
			return CompletableFuture.completedFuture(value);
		}

		@Offload("jdbc")
		public CompletableFuture<Integer> count() {
			awaitUninterruptibly(this.gates.jdbc);
			return CompletableFuture.completedFuture(42);
		}

	}

}
