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

package dev.offload.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Racing harnesses for statement cancellation on a real PostgreSQL server: the cancel
 * lands at a random moment, against a statement that is finishing (it must never reach
 * the next statement on the pooled connection) or starting (it must never be lost).
 */
class StatementCancelRaceTests {

	private static final Log logger = LogFactory.getLog(StatementCancelRaceTests.class);

	private static PostgresServer postgres;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
		.withPropertyValues("offload.executors.jdbc.core-size=1", "offload.executors.jdbc.queue-capacity=10");

	@BeforeAll
	static void startServer() {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void stopServer() throws Exception {
		postgres.close();
	}

	/**
	 * A body runs short statements one after another, each on the only connection of the
	 * pool, until it is cancelled; right after, a thread that runs no offloaded body uses
	 * that connection. A cancel that arrived late (after its statement returned) would
	 * cancel the plain thread's statement.
	 */
	@Test
	void lateCancelNeverReachesTheNextStatementOnTheConnection() {
		this.contextRunner.withBean(DataSource.class, () -> postgres.pool(1)).run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor("jdbc");
			JdbcTemplate template = new JdbcTemplate(context.getBean(DataSource.class));
			List<String> nextStatementFailures = new ArrayList<>();
			AtomicInteger bodiesStopped = new AtomicInteger();
			for (int i = 0; i < 200; i++) {
				CountDownLatch started = new CountDownLatch(1);
				CompletableFuture<Integer> call = offloader.call(() -> {
					started.countDown();
					int statements = 0;
					try {
						while (statements < 1000) {
							template.queryForObject("SELECT 1", Integer.class);
							statements++;
						}
					}
					catch (DataAccessException ex) {
						bodiesStopped.incrementAndGet();
					}
					return statements;
				});
				assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
				spin(ThreadLocalRandom.current().nextInt(300));
				call.cancel(true);
				try {
					template.queryForObject("SELECT 1 FROM pg_sleep(0.005)", Integer.class);
				}
				catch (DataAccessException ex) {
					nextStatementFailures.add(ex.getMessage());
				}
			}
			assertThat(nextStatementFailures).as("statements of a plain thread cancelled by a late cancel").isEmpty();
			assertThat(bodiesStopped).as("bodies stopped by a cancelled or refused statement").hasPositiveValue();
		});
	}

	/**
	 * The cancel lands while the statement starts, before or after the driver sent the
	 * query, before or after the server read it: the query is gone within a second every
	 * time. Without the second cancel, about 3 % of these cancels are lost and the query
	 * runs its full 3 s.
	 */
	@Test
	void cancelAsTheStatementStartsIsNeverLost() {
		this.contextRunner.withBean(DataSource.class, () -> postgres.pool(2)).run((context) -> {
			Offloader offloader = context.getBean(Offloader.class).executor("jdbc");
			JdbcTemplate template = new JdbcTemplate(context.getBean(DataSource.class));
			List<Long> goneMillis = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String tag = "race-start-" + i + "-" + System.nanoTime();
				CountDownLatch executing = new CountDownLatch(1);
				CompletableFuture<Integer> call = offloader.call(() -> {
					executing.countDown();
					return template.queryForObject("SELECT 1 FROM pg_sleep(3) /* " + tag + " */", Integer.class);
				});
				assertThat(executing.await(5, TimeUnit.SECONDS)).isTrue();
				spin(ThreadLocalRandom.current().nextInt(150));
				call.cancel(true);
				long start = System.nanoTime();
				long gone = postgres.awaitGone(tag, 1000);
				assertThat(gone).as("time until query " + i + " is gone").isNotNegative();
				goneMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			}
			logger.info("[cancel as the statement starts] query gone after at most "
					+ goneMillis.stream().mapToLong(Long::longValue).max().orElse(0) + " ms; "
					+ goneMillis.stream().filter((ms) -> ms >= 90).count() + " of 200 needed the cancel sent again");
		});
	}

	private static void spin(int micros) {
		long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

}
