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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import dev.offload.Offload;
import dev.offload.test.autoconfigure.AutoConfigureOffload;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

/**
 * Tests for {@link CheckOffloadLeaks}: small test classes run through the JUnit Platform,
 * their outcome checked.
 */
class CheckOffloadLeaksTests {

	/**
	 * What the audit calls of the fixtures wait for; released after each test.
	 */
	static volatile CountDownLatch gate = new CountDownLatch(0);

	@BeforeEach
	void closeGate() {
		gate = new CountDownLatch(1);
	}

	@AfterEach
	void openGate() {
		gate.countDown();
	}

	private static Events run(Class<?> testClass) {
		return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
	}

	@Test
	void failsATestThatLeavesACallInFlight() {
		Events events = run(LeakingTestCase.class);
		events.assertStatistics((stats) -> stats.started(1).failed(1));
		events.assertThatEvents()
			.haveExactly(1,
					event(test("leavesItsCallRunning"), finishedWithFailure(instanceOf(AssertionError.class), message((
							text) -> text.startsWith("leavesItsCallRunning() left offloaded calls in flight at its end")
									&& text.contains(
											"1 offloaded call still in flight after 0 ms (every executor, calls made "
													+ "since the mark):")
									&& text
										.matches("(?s).*  - [\\w.$]+Audit\\.record\\(String\\) on executor 'default': "
												+ "running, in flight for \\d+ ms \\(fire-and-forget\\)")))));
	}

	@Test
	void passesATestThatWaitsForItsCalls() {
		gate.countDown();
		run(CleanTestCase.class).assertStatistics((stats) -> stats.started(1).succeeded(1));
	}

	@Test
	void blamesTheLeakingTestNotTheNextOne() {
		Events events = run(LeakThenVictimTestCase.class);
		events.assertStatistics((stats) -> stats.started(2).failed(1).succeeded(1));
		events.assertThatEvents()
			.haveExactly(1, event(test("leaks"), finishedWithFailure(instanceOf(AssertionError.class))))
			.haveExactly(1, event(test("comesNext"), finishedSuccessfully()));
	}

	@Test
	void checksOnlyTheNamedExecutors() {
		run(OtherExecutorTestCase.class).assertStatistics((stats) -> stats.started(2).succeeded(2));
	}

	@Test
	void checksTheTestsOfANestedClass() {
		Events events = run(NestedTestCase.class);
		events.assertStatistics((stats) -> stats.started(1).failed(1));
		events.assertThatEvents()
			.haveExactly(1, event(test("leaksFromANestedClass"), finishedWithFailure(instanceOf(AssertionError.class),
					message((text) -> text.contains("Audit.record(String) on executor 'default'")))));
	}

	@Test
	void graceLetsTheCallsEndFirst() {
		run(GraceTestCase.class).assertStatistics((stats) -> stats.started(1).succeeded(1));
	}

	@Configuration(proxyBeanMethods = false)
	static class AuditConfig {

		@Bean
		Audit audit() {
			return new Audit();
		}

	}

	static class Audit {

		static volatile CountDownLatch started = new CountDownLatch(1);

		@Offload
		public void record(String entry) {
			started.countDown();
			try {
				gate.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@CheckOffloadLeaks
	static class LeakingTestCase {

		@Autowired
		Audit audit;

		@Test
		void leavesItsCallRunning() throws InterruptedException {
			Audit.started = new CountDownLatch(1);
			this.audit.record("leaked");
			Audit.started.await(5, TimeUnit.SECONDS);
		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@CheckOffloadLeaks
	static class CleanTestCase {

		@Autowired
		Audit audit;

		@Autowired
		OffloadQuiescence offload;

		@Test
		void waitsForItsCall() {
			this.audit.record("awaited");
			this.offload.await();
		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@CheckOffloadLeaks
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	static class LeakThenVictimTestCase {

		@Autowired
		Audit audit;

		@Test
		@Order(1)
		void leaks() {
			this.audit.record("leaked");
		}

		@Test
		@Order(2)
		void comesNext() {
		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@TestPropertySource(properties = "offload.executors.other.core-size=1")
	@CheckOffloadLeaks(executors = "other")
	static class OtherExecutorTestCase {

		@Autowired
		Audit audit;

		@Test
		void leavesACallOnTheDefaultExecutor() {
			this.audit.record("not checked");
		}

		/**
		 * The settings of the enclosing class apply.
		 */
		@Nested
		class Inner {

			@Test
			void leavesACallOnTheDefaultExecutorToo() {
				OtherExecutorTestCase.this.audit.record("not checked either");
			}

		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@CheckOffloadLeaks
	static class NestedTestCase {

		@Autowired
		Audit audit;

		@Nested
		class Inner {

			@Test
			void leaksFromANestedClass() {
				NestedTestCase.this.audit.record("leaked");
			}

		}

	}

	@SpringJUnitConfig(AuditConfig.class)
	@AutoConfigureOffload
	@CheckOffloadLeaks(grace = "5s")
	static class GraceTestCase {

		@Autowired
		Audit audit;

		@Test
		void endsBeforeItsCall() {
			this.audit.record("late");
		}

		/**
		 * Opens the gate from another thread once the check (which runs after this
		 * method, on this thread) waits for the call: so the call is still in flight when
		 * the check starts, and ends within its grace.
		 */
		@AfterEach
		void openTheGateOnceTheCheckWaits() {
			Thread runner = Thread.currentThread();
			CountDownLatch testsGate = gate;
			new Thread(() -> {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (runner.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				testsGate.countDown();
			}).start();
		}

	}

}
