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

package dev.offload.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import com.jayway.jsonpath.JsonPath;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code legacy} executor's adaptive limit over real HTTP: {@value #CLIENTS} clients
 * call {@code GET /api/warehouse} in a loop, against a warehouse that serves
 * {@code sample.warehouse.capacity} (8) requests at once. The limit that
 * {@code GET /actuator/offload} shows leaves its initial 20 for about the warehouse's
 * capacity, and the calls above it wait in the executor's queue; {@code PUT
 * /api/warehouse/delay} then makes the warehouse five times slower and fast again, and
 * the calls answered a second follow while the limit stays in its bounds. A call that
 * waits in the queue past its 5 s timeout while the warehouse is slow answers 504, as it
 * should: failures are counted and logged, not asserted.
 * <p>
 * Where the limit goes while the warehouse is slow is not asserted: Vegas reads a slower
 * run time as queueing until its probe re-learns the no-load run time (every 30 x limit
 * samples or so), so under this load the limit moves around the capacity at any speed (it
 * ranged 8 to 22 while slow in one run, and dipped below 8 at normal speed in another).
 * Without an adaptive limit the test fails at once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
@ExtendWith(OutputCaptureExtension.class)
class AdaptiveLimitTests {

	private static final Log logger = LogFactory.getLog(AdaptiveLimitTests.class);

	private static final int CLIENTS = 40;

	private static final int INITIAL_LIMIT = 20;

	/** {@code sample.warehouse.capacity}: how many calls the warehouse serves at once. */
	private static final int CAPACITY = 8;

	private static final long NORMAL_DELAY_MILLIS = 120;

	private static final long SLOW_DELAY_MILLIS = 600;

	/** How long each phase's rate is measured. */
	private static final long PHASE_MILLIS = 4000;

	/** Generous: the machine may run other builds besides the clients and the sample. */
	private static final Duration PHASE_DEADLINE = Duration.ofSeconds(30);

	@Value("${local.server.port}")
	private int port;

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private long startNanos;

	@Test
	void legacyLimitComesDownToTheWarehousesCapacityAndTheRestWaitsInItsQueue(CapturedOutput output) throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		Map<String, Object> legacy = describe(http);
		assertThat(legacy).containsEntry("adaptive", true)
			.containsEntry("algorithm", "vegas")
			.containsEntry("limit", INITIAL_LIMIT)
			.containsEntry("maxLimit", 50);
		this.startNanos = System.nanoTime();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			for (int i = 0; i < CLIENTS; i++) {
				clients.execute(() -> callWarehouseUntil(http, stop));
			}
			// Under load at the usual delay: more calls than the warehouse serves at
			// once, so the limit leaves 20 for about its capacity; the calls above it
			// wait in the executor's queue, not in the warehouse.
			int loaded = awaitLimit(http, "normal", (limit) -> limit <= CAPACITY + 2);
			double normalRate = rate(http, "normal");

			// Five times slower: fewer calls answered a second. Where the limit goes is
			// Vegas's business (it reads the slower run time as queueing until its probe
			// re-learns the no-load time), so only its bounds are checked.
			setDelay(http, SLOW_DELAY_MILLIS, NORMAL_DELAY_MILLIS);
			double slowRate = rate(http, "slow");

			// Fast again.
			setDelay(http, NORMAL_DELAY_MILLIS, SLOW_DELAY_MILLIS);
			double recoveredRate = rate(http, "recovered");
			logger.info(String.format(
					"legacy: initial limit %d, %d under load; %.1f calls/s, %.1f slower, %.1f fast "
							+ "again (%d answered, %d failed)",
					INITIAL_LIMIT, loaded, normalRate, slowRate, recoveredRate, this.answered.get(),
					this.failed.get()));
			assertThat(slowRate).as("calls answered a second, warehouse slower").isLessThan(normalRate / 2);
			assertThat(recoveredRate).as("calls answered a second, fast again").isGreaterThan(2 * slowRate);
		}
		finally {
			stop.set(true);
			clients.shutdown();
			assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
		}
		// The INFO line of the limit's first halving.
		assertThat(output).contains("Offload executor 'legacy': adaptive limit " + INITIAL_LIMIT + " -> ");
	}

	/**
	 * Measures the calls answered a second over {@link #PHASE_MILLIS}, checking the
	 * limit's bounds and that no more calls run than the limit allows as it goes.
	 */
	private double rate(SampleHttp http, String phase) throws Exception {
		int before = this.answered.get();
		long start = System.nanoTime();
		long end = start + TimeUnit.MILLISECONDS.toNanos(PHASE_MILLIS);
		while (System.nanoTime() - end < 0) {
			Map<String, Object> legacy = describe(http);
			int limit = (Integer) legacy.get("limit");
			log(phase, legacy);
			assertThat(limit).as("%s: limit within its bounds", phase).isBetween(1, 50);
			assertThat((Integer) legacy.get("active")).as("%s: calls running, of at most 50", phase)
				.isLessThanOrEqualTo(50);
			TimeUnit.MILLISECONDS.sleep(250);
		}
		return (this.answered.get() - before) / ((System.nanoTime() - start) / 1e9);
	}

	private void callWarehouseUntil(SampleHttp http, AtomicBoolean stop) {
		while (!stop.get()) {
			try {
				HttpResponse<String> response = http.get("/api/warehouse", "alice", "alice-pw");
				((response.statusCode() == 200) ? this.answered : this.failed).incrementAndGet();
			}
			catch (Exception ex) {
				this.failed.incrementAndGet();
			}
		}
	}

	private void setDelay(SampleHttp http, long millis, long previous) throws Exception {
		HttpResponse<String> response = http.put("/api/warehouse/delay?millis=" + millis, "alice", "alice-pw");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"delayMs\":" + millis + ",\"previousDelayMs\":" + previous + "}");
	}

	/**
	 * Polls the legacy executor's limit until it meets the condition, and returns it;
	 * fails after {@link #PHASE_DEADLINE}.
	 */
	private int awaitLimit(SampleHttp http, String phase, IntPredicate condition) throws Exception {
		long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
		while (true) {
			Map<String, Object> legacy = describe(http);
			int limit = (Integer) legacy.get("limit");
			log(phase, legacy);
			if (condition.test(limit)) {
				return limit;
			}
			assertThat(System.nanoTime()).as("%s: limit %d after %s", phase, limit, PHASE_DEADLINE)
				.isLessThan(deadline);
			TimeUnit.MILLISECONDS.sleep(250);
		}
	}

	private void log(String phase, Map<String, Object> legacy) {
		logger.info(String.format("%5.1f s %-9s limit %2d, active %2d, queued %2d, %d answered, %d failed",
				(System.nanoTime() - this.startNanos) / 1e9, phase, legacy.get("limit"), legacy.get("active"),
				legacy.get("queued"), this.answered.get(), this.failed.get()));
	}

	private static Map<String, Object> describe(SampleHttp http) throws Exception {
		HttpResponse<String> response = http.get("/actuator/offload", "alice", "alice-pw");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonPath.read(response.body(), "$.executors.legacy");
	}

}
