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
package dev.offload.limit;

import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.QueryTimeoutException;

import dev.offload.executor.OffloadOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AdaptiveLimiter} on its own: what is a sample and what is a drop, the count of
 * bodies in flight, the bounds, the listener and the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdaptiveLimiterTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	private final List<Integer> applied = new ArrayList<>();

	private AdaptiveLimiter limiter(LimitAlgorithm algorithm, int initial, int min, int max) {
		AdaptiveLimiter limiter = new AdaptiveLimiter("db", algorithm, initial, min, max,
				DropExceptions.defaults(getClass().getClassLoader()));
		limiter.onLimitChange(this.applied::add);
		return limiter;
	}

	/** Runs one body through the limiter, as the executor does. */
	private static void body(AdaptiveLimiter limiter, long runNanos, OffloadOutcome outcome, Throwable failure) {
		int inFlight = limiter.bodyStarted();
		limiter.bodyEnded(runNanos, inFlight, outcome, failure);
	}

	@ParameterizedTest
	@EnumSource(LimitAlgorithm.class)
	void timeoutsAreDropsAndBringTheLimitDown(LimitAlgorithm algorithm) {
		AdaptiveLimiter limiter = limiter(algorithm, 20, 1, 50);
		for (int i = 0; i < 200; i++) {
			// Calls that ran up to their timeout while 20 bodies ran.
			int inFlight = 0;
			for (int j = 0; j < 20; j++) {
				inFlight = limiter.bodyStarted();
			}
			for (int j = 0; j < 20; j++) {
				limiter.bodyEnded(100 * MS, inFlight, OffloadOutcome.TIMEOUT, new InterruptedException());
			}
		}
		assertThat(limiter.getLimit()).as("limit of %s after timeouts", algorithm).isLessThanOrEqualTo(10);
		assertThat(limiter.getInFlight()).isZero();
		assertThat(this.applied).last().isEqualTo(limiter.getLimit());
	}

	@ParameterizedTest
	@EnumSource(LimitAlgorithm.class)
	void cancelledCallsAndTheBodysOwnFailuresLeaveTheLimitAlone(LimitAlgorithm algorithm) {
		AdaptiveLimiter limiter = limiter(algorithm, 20, 1, 50);
		for (int i = 0; i < 500; i++) {
			body(limiter, 100 * MS, OffloadOutcome.CANCELLED, new CancellationException());
			body(limiter, 100 * MS, OffloadOutcome.CANCELLED, null);
			body(limiter, 100 * MS, null, new IllegalStateException("no such row"));
		}
		assertThat(limiter.getLimit()).isEqualTo(20);
		assertThat(this.applied).isEmpty();
		assertThat(limiter.getInFlight()).isZero();
	}

	@Test
	void aBodyInterruptedAtOnceByItsTimeoutIsNotVegassNoLoadRunTime() {
		AdaptiveLimiter limiter = limiter(LimitAlgorithm.VEGAS, 20, 1, 100);
		for (int i = 0; i < 20; i++) {
			limiter.bodyStarted();
		}
		for (int i = 0; i < 10; i++) {
			limiter.bodyEnded(10 * MS, 50, null, null);
			limiter.bodyStarted();
		}
		int beforeTheDrop = limiter.getLimit();
		// Its timeout fired as the body started: it ran for 20 µs.
		limiter.bodyEnded(TimeUnit.MICROSECONDS.toNanos(20), 50, OffloadOutcome.TIMEOUT, null);
		int afterTheDrop = limiter.getLimit();
		assertThat(afterTheDrop).isLessThanOrEqualTo(beforeTheDrop);
		for (int i = 0; i < 10; i++) {
			limiter.bodyStarted();
			limiter.bodyEnded(10 * MS, 50, null, null);
		}
		// Had 20 µs become the no-load run time, every 10 ms sample would look queued.
		assertThat(limiter.getLimit()).as("limit after 10 samples at the no-load run time")
			.isGreaterThanOrEqualTo(afterTheDrop);
	}

	@Test
	void aFailureCausedByADropExceptionIsADrop() {
		AdaptiveLimiter limiter = limiter(LimitAlgorithm.AIMD, 20, 1, 50);
		body(limiter, MS, null, new QueryTimeoutException("slow", new java.sql.SQLTimeoutException("timeout")));
		assertThat(limiter.getLimit()).isEqualTo(18);
		body(limiter, MS, null, new IllegalStateException(new SQLTransientConnectionException("pool exhausted")));
		assertThat(limiter.getLimit()).isEqualTo(16);
		body(limiter, MS, null, new TimeoutException());
		assertThat(limiter.getLimit()).isEqualTo(14);
		assertThat(this.applied).containsExactly(18, 16, 14);
	}

	@ParameterizedTest
	@EnumSource(LimitAlgorithm.class)
	void theLimitNeverLeavesItsBounds(LimitAlgorithm algorithm) {
		AdaptiveLimiter limiter = limiter(algorithm, 5, 3, 8);
		for (int i = 0; i < 2000; i++) {
			int inFlight = limiter.bodyStarted();
			// Fast calls, many in flight: every algorithm wants more.
			limiter.bodyEnded(MS, Math.max(inFlight, 8), null, null);
			assertThat(limiter.getLimit()).isBetween(3, 8);
		}
		assertThat(limiter.getLimit()).as("%s with headroom", algorithm).isEqualTo(8);
		for (int i = 0; i < 2000; i++) {
			body(limiter, 500 * MS, OffloadOutcome.TIMEOUT, null);
			assertThat(limiter.getLimit()).isBetween(3, 8);
		}
		assertThat(limiter.getLimit()).as("%s after drops", algorithm).isEqualTo(3);
		assertThat(this.applied).allSatisfy((limit) -> assertThat(limit).isBetween(3, 8));
	}

	@Test
	void newBoundsMoveTheLimitIntoThemAtOnce() {
		AdaptiveLimiter limiter = limiter(LimitAlgorithm.VEGAS, 20, 1, 50);
		limiter.setBounds(30, 60);
		assertThat(limiter.getLimit()).isEqualTo(30);
		assertThat(limiter.getMinLimit()).isEqualTo(30);
		assertThat(limiter.getMaxLimit()).isEqualTo(60);
		limiter.setBounds(2, 10);
		assertThat(limiter.getLimit()).isEqualTo(10);
		limiter.setBounds(1, 100);
		assertThat(limiter.getLimit()).isEqualTo(10);
		assertThat(this.applied).containsExactly(30, 10);
		// The new algorithm obeys the new bounds too.
		for (int i = 0; i < 200; i++) {
			body(limiter, 500 * MS, OffloadOutcome.TIMEOUT, null);
		}
		assertThat(limiter.getLimit()).isEqualTo(1);
	}

	@Test
	void inconsistentLimitsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(LimitAlgorithm.VEGAS, 20, 0, 50));
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(LimitAlgorithm.VEGAS, 20, 30, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> limiter(LimitAlgorithm.VEGAS, 60, 1, 50));
		AdaptiveLimiter limiter = limiter(LimitAlgorithm.VEGAS, 20, 1, 50);
		assertThatIllegalArgumentException().isThrownBy(() -> limiter.setBounds(10, 5));
		assertThat(limiter.getMinLimit()).isEqualTo(1);
		assertThat(limiter.getMaxLimit()).isEqualTo(50);
	}

	@Test
	void logsOnceEachTimeTheLimitHalvesOrDoubles(CapturedOutput output) {
		AdaptiveLimiter limiter = limiter(LimitAlgorithm.AIMD, 40, 1, 200);
		// AIMD: 40 -> 36 -> 32 -> 28 -> 25 -> 22 -> 19: one line, at 19 (at most half of
		// 40).
		for (int i = 0; i < 6; i++) {
			body(limiter, MS, OffloadOutcome.TIMEOUT, null);
		}
		assertThat(limiter.getLimit()).isEqualTo(19);
		assertThat(lines(output)).containsExactly(
				"Offload executor 'db': adaptive limit 40 -> 19 (aimd, 0 in flight, " + "bounds [1, 200])");
		// Back up by one per success while busy: a line again at 38, twice 19.
		for (int i = 0; i < 19; i++) {
			int inFlight = limiter.bodyStarted();
			limiter.bodyEnded(MS, 40, null, null);
			assertThat(inFlight).isEqualTo(1);
		}
		assertThat(limiter.getLimit()).isEqualTo(38);
		assertThat(lines(output)).hasSize(2).last().asString().contains("adaptive limit 19 -> 38");
	}

	private static List<String> lines(CapturedOutput output) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("adaptive limit"))
			.map((line) -> line.substring(line.indexOf("Offload executor")))
			.toList();
	}

	@Test
	void aListenerThatThrowsLeavesTheLimiterWorking(CapturedOutput output) {
		AdaptiveLimiter limiter = new AdaptiveLimiter("db", LimitAlgorithm.AIMD, 20, 1, 50,
				DropExceptions.defaults(null));
		limiter.onLimitChange((limit) -> {
			throw new IllegalStateException("cannot resize");
		});
		body(limiter, MS, OffloadOutcome.TIMEOUT, null);
		assertThat(limiter.getLimit()).isEqualTo(18);
		assertThat(limiter.getInFlight()).isZero();
		assertThat(output.getOut()).contains("Offload executor 'db' could not follow its adaptive limit 18");
	}

}
