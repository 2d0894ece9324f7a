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

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.jdbc.PgStatement;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.offload.Offload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.OffloadJdbcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JDBC statements cancelled with their offloaded call, on a real PostgreSQL server:
 * {@code pg_sleep} ignores the worker's interrupt (the driver blocks in a socket read),
 * so only the statement's cancel frees the worker, its pooled connection and the server.
 * Through {@code JdbcClient}, {@code JdbcTemplate} and plain JDBC alike, for a timeout,
 * {@code cancel(true)} and the shutdown cut-off. The figures are printed for
 * docs/timeouts.md.
 */
class StatementCancellingDataSourceTests {

	private static final Log logger = LogFactory.getLog(StatementCancellingDataSourceTests.class);

	private static PostgresServer postgres;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadJdbcAutoConfiguration.class))
		.withPropertyValues("offload.executors.jdbc.core-size=1", "offload.executors.jdbc.queue-capacity=10",
				"offload.executors.jdbc.await-termination=200ms")
		.withUserConfiguration(QueriesConfiguration.class);

	@BeforeAll
	static void startServer() {
		postgres = PostgresServer.start();
	}

	@AfterAll
	static void stopServer() throws Exception {
		postgres.close();
	}

	private static String tag() {
		return "offload-test-" + UUID.randomUUID();
	}

	@ParameterizedTest
	@EnumSource(Via.class)
	void timeoutCancelsTheQueryAndFreesWorkerConnectionAndServer(Via via) {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			queries.warmUp(via);
			String tag = tag();
			long start = System.nanoTime();
			CompletableFuture<Integer> future = queries.sleepWithTimeout(via, tag);
			assertThat(postgres.awaitActive(tag, 1000)).as("the query, on the server").isNotNegative();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			long timedOut = millisSince(start);
			long gone = postgres.awaitGone(tag, 1000);
			assertFreed(context.getBean(DataSource.class), queries, gone);
			assertThat(timedOut).as("time to the TimeoutException").isBetween(250L, 800L);
			assertThat(queries.lastFailure()).as("what the body got")
				.isInstanceOfAny(SQLException.class, org.springframework.dao.QueryTimeoutException.class);
			logger.info("[timeout, " + via + "] TimeoutException after " + timedOut
					+ " ms; query gone from pg_stat_activity " + gone + " ms later");
		});
	}

	@ParameterizedTest
	@EnumSource(Via.class)
	void cancelWithInterruptCancelsTheQueryAndFreesWorkerConnectionAndServer(Via via) {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			String tag = tag();
			CompletableFuture<Integer> future = queries.sleep(via, tag);
			assertThat(postgres.awaitActive(tag, 1000)).as("the query, on the server").isNotNegative();
			assertThat(future.cancel(true)).isTrue();
			long gone = postgres.awaitGone(tag, 1000);
			assertFreed(context.getBean(DataSource.class), queries, gone);
			logger.info("[cancel(true), " + via + "] query gone from pg_stat_activity " + gone
					+ " ms after cancel(true) returned");
		});
	}

	@ParameterizedTest
	@EnumSource(Via.class)
	void shutdownCutOffCancelsTheQuery(Via via) {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			String tag = tag();
			CompletableFuture<Integer> future = queries.sleep(via, tag);
			assertThat(postgres.awaitActive(tag, 1000)).as("the query, on the server").isNotNegative();
			long start = System.nanoTime();
			context.close();
			long closed = millisSince(start);
			long gone = postgres.awaitGone(tag, 1000);
			assertThat(gone).as("time until the query is gone").isBetween(0L, 1000L);
			assertThat(closed).as("close(): await-termination 200 ms, then the cut-off").isLessThan(1500);
			assertThatThrownBy(() -> future.get(1, TimeUnit.SECONDS)).isInstanceOfAny(CancellationException.class,
					ExecutionException.class);
			assertThat(queries.lastFailure()).isNotNull();
			logger.info("[shutdown cut-off, " + via + "] close() took " + closed
					+ " ms; query gone from pg_stat_activity " + gone + " ms after");
		});
	}

	private static void assertFreed(DataSource dataSource, SlowQueries queries, long gone) throws Exception {
		assertThat(gone).as("time until the query is gone from pg_stat_activity").isBetween(0L, 1000L);
		long start = System.nanoTime();
		assertThat(queries.quick().get(1, TimeUnit.SECONDS)).as("a new call on the only worker").isEqualTo(1);
		assertThat(millisSince(start)).isLessThan(1000);
		HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
		assertThat(PostgresServer.await(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0, 1000))
			.as("time until the pool has no active connection")
			.isNotNegative();
	}

	@Test
	void statementOnAThreadThatRunsNoOffloadedBodyIsUntouched() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			SlowQueries queries = context.getBean(SlowQueries.class);
			assertThat(dataSource).isInstanceOf(StatementCancellingDataSource.class);
			String plainTag = tag();
			AtomicReference<@Nullable Object> plainResult = new AtomicReference<>();
			Thread plain = new Thread(() -> {
				try (Connection connection = dataSource.getConnection();
						Statement statement = connection.createStatement()) {
					plainResult.set(List.of(Proxy.isProxyClass(connection.getClass()),
							Proxy.isProxyClass(statement.getClass())));
					try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_sleep(1) /* " + plainTag + " */")) {
						rs.next();
						plainResult.set(List.of(plainResult.get(), rs.getInt(1), statement.getQueryTimeout()));
					}
				}
				catch (Exception ex) {
					plainResult.set(ex);
				}
			});
			plain.start();
			assertThat(postgres.awaitActive(plainTag, 1000)).isNotNegative();
			// Meanwhile, an offloaded query times out and is cancelled.
			String tag = tag();
			CompletableFuture<Integer> future = queries.sleepWithTimeout(Via.PLAIN_JDBC, tag);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			assertThat(postgres.awaitGone(tag, 1000)).isNotNegative();
			plain.join(5000);
			assertThat(plainResult.get())
				.as("the plain thread's connection and statement are the pool's own; "
						+ "its query returned normally, its query timeout untouched")
				.isEqualTo(List.of(List.of(false, false), 1, 0));
		});
	}

	@Test
	void deadlineBecomesTheQueryTimeoutUnlessTheCodeSetAShorterOne() {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			// 2.5 s left: 3 s, rounded up; the code's own timeout is what the code sees.
			assertThat(queries.queryTimeouts(null).get(5, TimeUnit.SECONDS)).isEqualTo(List.of(3, 0));
			assertThat(queries.queryTimeouts(10).get(5, TimeUnit.SECONDS)).isEqualTo(List.of(3, 10));
			assertThat(queries.queryTimeouts(1).get(5, TimeUnit.SECONDS)).isEqualTo(List.of(1, 1));
			// No deadline: the driver keeps the code's timeout.
			assertThat(queries.queryTimeoutsWithoutDeadline(null).get(5, TimeUnit.SECONDS)).isEqualTo(List.of(0, 0));
			assertThat(queries.queryTimeoutsWithoutDeadline(7).get(5, TimeUnit.SECONDS)).isEqualTo(List.of(7, 7));
		});
	}

	/**
	 * The query timeout is the backstop when no cancel comes: {@code cancel(false)}
	 * completes the future without interrupting the body, so no cancel hook runs and the
	 * call's own timer is cancelled; the query still ends at its query timeout (1.2 s
	 * left when it starts, rounded up: 2 s, or 1 s if the start was slow) instead of
	 * running its 5 s.
	 */
	@Test
	void queryTimeoutFromTheDeadlineStopsAQueryThatNoCancelReaches() {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			queries.warmUp(Via.PLAIN_JDBC);
			String tag = tag();
			long start = System.nanoTime();
			CompletableFuture<Integer> future = queries.sleepWithLongerTimeout(tag);
			assertThat(postgres.awaitActive(tag, 1000)).isNotNegative();
			future.cancel(false);
			assertThat(postgres.awaitGone(tag, 3000)).isNotNegative();
			long gone = millisSince(start);
			assertThat(gone).as("time until the query is gone: its query timeout, not cancel(false), not its 5 s")
				.isBetween(900L, 3000L);
			assertThat(PostgresServer.await(() -> queries.lastFailure() != null, 1000)).isNotNegative();
			assertThat(queries.lastFailure()).hasMessageContaining("canceling statement");
		});
	}

	@Test
	void statementAfterTheCallWasStoppedIsNotExecuted() {
		this.contextRunner.run((context) -> {
			SlowQueries queries = context.getBean(SlowQueries.class);
			String tag = tag();
			CompletableFuture<Integer> future = queries.sleepThenQueryAgain(tag);
			assertThat(postgres.awaitActive(tag, 1000)).isNotNegative();
			future.cancel(true);
			assertThat(PostgresServer.await(() -> queries.secondFailure() != null, 1000)).isNotNegative();
			assertThat(queries.secondFailure()).isInstanceOf(SQLException.class)
				.hasMessageStartingWith("Statement not executed: the offloaded call to ")
				.hasMessageEndingWith("SlowQueries.sleepThenQueryAgain(String) on executor 'jdbc' was cancelled");
			assertThat(((SQLException) queries.secondFailure()).getSQLState()).isEqualTo("57014");
		});
	}

	@Test
	void whenSwitchedOffTheDataSourceIsNotWrappedAndTheQueryOutlivesItsCall() {
		this.contextRunner.withPropertyValues("offload.jdbc.cancel-statements=false").run((context) -> {
			assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
			SlowQueries queries = context.getBean(SlowQueries.class);
			String tag = tag();
			CompletableFuture<Integer> future = queries.sleepWithTimeout(Via.JDBC_TEMPLATE, tag);
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(TimeoutException.class);
			assertThat(postgres.awaitGone(tag, 500)).as("the query, 500 ms after the timeout").isNegative();
			context.getBean(DataSource.class).unwrap(HikariDataSource.class).close();
		});
	}

	@Test
	void whenOffloadIsDisabledTheDataSourceIsNotWrapped() {
		this.contextRunner.withPropertyValues("offload.enabled=false")
			.run((context) -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	/**
	 * How the body runs its query.
	 */
	enum Via {

		JDBC_CLIENT, JDBC_TEMPLATE, PLAIN_JDBC

	}

	@Configuration(proxyBeanMethods = false)
	static class QueriesConfiguration {

		@Bean
		HikariDataSource dataSource() {
			return postgres.pool(3);
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

		@Bean
		SlowQueries slowQueries(DataSource dataSource, JdbcTemplate jdbcTemplate) {
			return new SlowQueries(dataSource, jdbcTemplate);
		}

	}

	static class SlowQueries {

		private final AtomicReference<@Nullable Throwable> lastFailure = new AtomicReference<>();

		private final AtomicReference<@Nullable Throwable> secondFailure = new AtomicReference<>();

		private final DataSource dataSource;

		private final JdbcTemplate template;

		private final JdbcClient client;

		SlowQueries(DataSource dataSource, JdbcTemplate template) {
			this.dataSource = dataSource;
			this.template = template;
			this.client = JdbcClient.create(template);
		}

		// Accessors, not fields: the bean is a class-based proxy.
		@Nullable Throwable lastFailure() {
			return this.lastFailure.get();
		}

		@Nullable Throwable secondFailure() {
			return this.secondFailure.get();
		}

		@Offload(value = "jdbc", timeout = "300ms")
		public CompletableFuture<Integer> sleepWithTimeout(Via via, String tag) throws Exception {
			return CompletableFuture.completedFuture(sleep5s(via, tag));
		}

		@Offload("jdbc")
		public CompletableFuture<Integer> sleep(Via via, String tag) throws Exception {
			return CompletableFuture.completedFuture(sleep5s(via, tag));
		}

		@Offload(value = "jdbc", timeout = "1200ms")
		public CompletableFuture<Integer> sleepWithLongerTimeout(String tag) throws Exception {
			return CompletableFuture.completedFuture(sleep5s(Via.PLAIN_JDBC, tag));
		}

		@Offload("jdbc")
		public CompletableFuture<Integer> sleepThenQueryAgain(String tag) throws Exception {
			try {
				sleep5s(Via.JDBC_TEMPLATE, tag);
			}
			catch (Exception ex) {
				// A body that goes on after its query was cancelled.
			}
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("SELECT 1");
			}
			catch (SQLException ex) {
				this.secondFailure.set(ex);
				throw ex;
			}
			return CompletableFuture.completedFuture(1);
		}

		/**
		 * Runs a first query the same way, so that the timed one starts well before its
		 * 300 ms on a cold JVM.
		 */
		void warmUp(Via via) throws Exception {
			quick(via).get(10, TimeUnit.SECONDS);
		}

		@Offload("jdbc")
		public CompletableFuture<Integer> quick(Via via) throws Exception {
			return CompletableFuture.completedFuture(query(via, "SELECT 1"));
		}

		@Offload("jdbc")
		public CompletableFuture<Integer> quick() {
			return CompletableFuture.completedFuture(this.template.queryForObject("SELECT 1", Integer.class));
		}

		@Offload(value = "jdbc", timeout = "2500ms")
		public CompletableFuture<List<Integer>> queryTimeouts(@Nullable Integer codeTimeout) throws SQLException {
			return CompletableFuture.completedFuture(runAndReadTimeouts(codeTimeout));
		}

		@Offload("jdbc")
		public CompletableFuture<List<Integer>> queryTimeoutsWithoutDeadline(@Nullable Integer codeTimeout)
				throws SQLException {
			return CompletableFuture.completedFuture(runAndReadTimeouts(codeTimeout));
		}

		/**
		 * Returns the query timeout the driver had for the execution, and the one the
		 * code sees.
		 */
		private List<Integer> runAndReadTimeouts(@Nullable Integer codeTimeout) throws SQLException {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				if (codeTimeout != null) {
					statement.setQueryTimeout(codeTimeout);
				}
				statement.execute("SELECT 1");
				return List.of(statement.unwrap(PgStatement.class).getQueryTimeout(), statement.getQueryTimeout());
			}
		}

		private int sleep5s(Via via, String tag) throws Exception {
			try {
				return query(via, "SELECT 1 FROM pg_sleep(5) /* " + tag + " */");
			}
			catch (Exception ex) {
				this.lastFailure.set(ex);
				throw ex;
			}
		}

		private int query(Via via, String sql) throws Exception {
			switch (via) {
				case JDBC_CLIENT:
					return this.client.sql(sql).query(Integer.class).single();
				case JDBC_TEMPLATE:
					return this.template.queryForObject(sql, Integer.class);
				default:
					try (Connection connection = this.dataSource.getConnection();
							Statement statement = connection.createStatement();
							ResultSet rs = statement.executeQuery(sql)) {
						rs.next();
						return rs.getInt(1);
					}
			}
		}

	}

}
