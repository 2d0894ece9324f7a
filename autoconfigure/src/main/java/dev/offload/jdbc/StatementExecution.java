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

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.offload.executor.OffloadCall;
import dev.offload.executor.OffloadOutcome;

/**
 * One execution of a statement by an offloaded body; as a cancel hook of the call, it
 * cancels the statement.
 * <p>
 * A cancel can be lost when it lands just as the execution starts: before the driver has
 * sent the query (PostgreSQL's driver ignores a cancel while its statement is idle), or
 * before the server has read it (the server drops a cancel for a session waiting for its
 * next command). So an execution still running 100 ms after its cancel is cancelled
 * again, and once more 400 ms later, on a shared daemon thread. PostgreSQL's driver
 * accepts one {@code Statement.cancel()} per execution and ignores the next, even when
 * the first never reached the query; with it, the cancel is sent again through its
 * connection ({@code BaseConnection.cancelQuery()}, looked up by reflection, so that
 * Offload does not depend on the driver). Every cancel holds this execution's lock, and
 * {@link #end()} takes it: no cancel reaches the statement, or its connection, once the
 * execution has returned, so none can stop the next statement on the connection.
 */
final class StatementExecution implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StatementExecution.class);

	private static final long[] RETRY_DELAYS_MILLIS = { 100, 400 };

	private static final String POSTGRES_CONNECTION = "org.postgresql.core.BaseConnection";

	/**
	 * The SQL state of a query cancelled on request, as PostgreSQL and DB2 report it;
	 * Spring translates it to a {@code QueryTimeoutException}.
	 */
	static final String QUERY_CANCELLED = "57014";

	private final Statement statement;

	private final OffloadCall<?> call;

	// Guarded by this.
	private boolean running = true;

	StatementExecution(Statement statement, OffloadCall<?> call) {
		this.statement = statement;
		this.call = call;
	}

	/**
	 * Cancels the statement: the cancel hook, run on the thread that stops the call.
	 */
	@Override
	public void close() throws SQLException {
		if (cancel()) {
			Retries.schedule(this, 0);
		}
	}

	private synchronized boolean cancel() throws SQLException {
		if (!this.running) {
			return false;
		}
		try {
			this.statement.cancel();
			return true;
		}
		catch (SQLFeatureNotSupportedException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("The JDBC driver cannot cancel the statement of the offloaded call to "
						+ this.call.getSite().getDescription(), ex);
			}
			return false;
		}
	}

	private void retry(int attempt) {
		try {
			if (cancelAgain() && attempt + 1 < RETRY_DELAYS_MILLIS.length) {
				Retries.schedule(this, attempt + 1);
			}
		}
		catch (Throwable ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not cancel again the statement of the offloaded call to "
						+ this.call.getSite().getDescription(), ex);
			}
		}
	}

	private synchronized boolean cancelAgain() throws Exception {
		if (!this.running) {
			return false;
		}
		Connection connection = this.statement.getConnection();
		Class<?> postgres = postgresConnection(connection);
		if (postgres != null && connection.isWrapperFor(postgres)) {
			postgres.getMethod("cancelQuery").invoke(connection.unwrap(postgres));
		}
		else {
			this.statement.cancel();
		}
		return true;
	}

	private static @Nullable Class<?> postgresConnection(Connection connection) {
		try {
			return Class.forName(POSTGRES_CONNECTION, false, connection.getClass().getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	/**
	 * Ends the execution: from now on, no cancel reaches the statement. Waits for a
	 * cancel in progress.
	 */
	synchronized void end() {
		this.running = false;
	}

	/**
	 * Returns the exception for a statement that an offloaded body tries to execute after
	 * its call was stopped.
	 */
	static SQLException refused(OffloadCall<?> call) {
		OffloadOutcome outcome = call.getOutcome();
		String what = (outcome == OffloadOutcome.TIMEOUT) ? "timed out"
				: (outcome == OffloadOutcome.CANCELLED) ? "was cancelled" : "was stopped";
		return new SQLException("Statement not executed: the offloaded call to " + call.getSite().getDescription()
				+ " on executor '" + call.getSite().getExecutor().getName() + "' " + what, QUERY_CANCELLED);
	}

	/**
	 * The daemon thread that cancels again; it ends when idle.
	 */
	private static final class Retries {

		private static final ScheduledThreadPoolExecutor EXECUTOR = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "offload-jdbc-cancel");
				thread.setDaemon(true);
				return thread;
			});
			executor.setKeepAliveTime(5, TimeUnit.SECONDS);
			executor.allowCoreThreadTimeOut(true);
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

		static void schedule(StatementExecution execution, int attempt) {
			EXECUTOR.schedule(() -> execution.retry(attempt), RETRY_DELAYS_MILLIS[attempt], TimeUnit.MILLISECONDS);
		}

	}

}
