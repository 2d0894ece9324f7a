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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadJdbcAutoConfiguration;
import dev.offload.executor.OffloadOutcome;
import dev.offload.jdbc.PostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of slow queries that time out, on a real PostgreSQL server: 200 calls of a 5 s
 * query with a 300 ms timeout on a 10-thread executor and a 10-connection pool, then 100
 * quick calls. With the statements cancelled, the quick calls run at once; switched off,
 * as before, they wait for the slow queries that every caller has long given up on. The
 * figures go to docs/reliability.md.
 */
class JdbcCancellationReliabilityTests {

	private static final int SLOW_CALLS = 200;

	private static final int QUICK_CALLS = 100;

	private static PostgresServer postgres;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
		.withPropertyValues("offload.executors.jdbc.core-size=10", "offload.executors.jdbc.queue-capacity=1000",
				"offload.executors.jdbc.await-termination=100ms")
		.withBean(HikariDataSource.class, () -> postgres.pool(10));

	@BeforeAll
	static void startServer() {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void stopServer() throws Exception {
		postgres.close();
	}

	@Test
	void quickCallsRunAtOnceAfterABurstOfTimedOutSlowQueries() {
		this.contextRunner.run((context) -> {
			Burst burst = burst(context.getBean(Offloader.class), context.getBean(DataSource.class), "burst-cancel");
			Load.report("JDBC burst, statements cancelled", burst);
			assertThat(burst.timedOut).isEqualTo(SLOW_CALLS);
			assertThat(burst.queriesGoneMillis).as("time until no slow query runs on the server").isBetween(0L, 1000L);
			assertThat(burst.poolIdleMillis).as("time until the pool has no active connection").isBetween(0L, 1000L);
			assertThat(burst.quickMillis).as("time for the 100 quick calls").isLessThan(1000);
		});
	}

	@Test
	void quickCallsWaitForTheSlowQueriesWhenStatementsAreNotCancelled() {
		this.contextRunner.withPropertyValues("offload.jdbc.cancel-statements=false").run((context) -> {
			Burst burst = burst(context.getBean(Offloader.class), context.getBean(DataSource.class), "burst-plain");
			Load.report("JDBC burst, statements not cancelled", burst);
			assertThat(burst.timedOut).isEqualTo(SLOW_CALLS);
			assertThat(burst.quickMillis).as("time for the 100 quick calls").isGreaterThan(3000);
			assertThat(burst.queriesGoneMillis).as("time until no slow query runs on the server").isGreaterThan(3000);
		});
	}

	private static Burst burst(Offloader offloader, DataSource dataSource, String tag) throws Exception {
		Offloader jdbc = offloader.executor("jdbc");
		JdbcTemplate template = new JdbcTemplate(dataSource);
		HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
		Offloader slow = jdbc.timeout(Duration.ofMillis(300));
		long start = System.nanoTime();
		List<CompletableFuture<?>> slowCalls = new ArrayList<>();
		for (int i = 0; i < SLOW_CALLS; i++) {
			slowCalls.add(slow
				.call(() -> template.queryForObject("SELECT 1 FROM pg_sleep(5) /* " + tag + " */", Integer.class)));
		}
		// All 10 workers run a slow query before the calls time out.
		boolean allRunning = PostgresServer.await(() -> postgres.activeQueries(tag) == 10, 250) >= 0;
		Map<OffloadOutcome, Integer> outcomes = Load.outcomes(slowCalls, Duration.ofSeconds(10));
		long timedOutMillis = millisSince(start);
		long quickStart = System.nanoTime();
		List<CompletableFuture<?>> quickCalls = new ArrayList<>();
		for (int i = 0; i < QUICK_CALLS; i++) {
			quickCalls.add(jdbc.call(() -> template.queryForObject("SELECT 1", Integer.class)));
		}
		Map<OffloadOutcome, Integer> quickOutcomes = Load.outcomes(quickCalls, Duration.ofSeconds(10));
		long quickMillis = millisSince(quickStart);
		assertThat(quickOutcomes.get(OffloadOutcome.SUCCESS)).isEqualTo(QUICK_CALLS);
		// Both measured from the moment the last slow call had timed out.
		long queriesGone = (postgres.awaitGone(tag, 1000) >= 0) ? millisSince(quickStart) : -1;
		long poolIdle = (PostgresServer.await(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0, 1000) >= 0)
				? millisSince(quickStart) : -1;
		assertThat(allRunning).as("10 slow queries running on the server before the timeout").isTrue();
		return new Burst(outcomes.get(OffloadOutcome.TIMEOUT), timedOutMillis, queriesGone, poolIdle, quickMillis);
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	record Burst(int timedOut, long allTimedOutMillis, long queriesGoneMillis, long poolIdleMillis, long quickMillis) {

		@Override
		public String toString() {
			return SLOW_CALLS + " slow calls: " + this.timedOut + " timed out, the last after " + this.allTimedOutMillis
					+ " ms; then " + QUICK_CALLS + " quick calls took " + this.quickMillis
					+ " ms; counted from the last timeout, the slow queries were gone from the server after "
					+ this.queriesGoneMillis + " ms and the pool idle after " + this.poolIdleMillis + " ms";
		}

	}

}
