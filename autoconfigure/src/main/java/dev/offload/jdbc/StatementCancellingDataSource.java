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

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.offload.executor.CancelHooks;

/**
 * A {@link DataSource} whose statements are cancelled with the offloaded call that runs
 * them: a statement executed by an offloaded body is cancelled
 * ({@link java.sql.Statement#cancel()}, which makes the driver ask the server to stop the
 * query) when the call times out, is cancelled with {@code cancel(true)} or is cut off at
 * shutdown, besides the interrupt that most drivers ignore; and it gets the time left
 * until the call's timeout as its query timeout (in whole seconds, rounded up), unless
 * the code set a shorter one, as a backstop should the cancel not reach the server.
 * <p>
 * A connection obtained on a thread that runs no offloaded body is the target's own,
 * untouched: the only cost there is one thread-local read per {@code getConnection}. A
 * connection obtained inside an offloaded body is a proxy whose statements are proxies
 * too; each {@code execute…} call checks which offloaded call runs on its thread, if any.
 * Once a call is stopped, its body can start no further statement: it fails at once with
 * an {@link SQLException} of SQL state {@code 57014} (query cancelled), which Spring
 * translates to a {@code QueryTimeoutException}.
 * <p>
 * Not covered: a connection obtained outside the offloaded body and used inside it, rows
 * fetched by {@code ResultSet.next()} after the statement has returned (a fetch size with
 * a cursor), and connections built through {@code createConnectionBuilder()}.
 * <p>
 * Offload wraps every {@code DataSource} bean in one (see
 * {@link StatementCancellingDataSourcePostProcessor}) unless
 * {@code offload.jdbc.cancel-statements=false}.
 *
 * @since 0.1.0
 */
public class StatementCancellingDataSource extends DelegatingDataSource {

	/**
	 * Creates a data source whose statements are cancelled with their offloaded call.
	 * @param targetDataSource the data source to wrap
	 */
	public StatementCancellingDataSource(DataSource targetDataSource) {
		super(targetDataSource);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return wrap(obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return wrap(obtainTargetDataSource().getConnection(username, password));
	}

	private static Connection wrap(Connection connection) {
		if (CancelHooks.currentCall() == null) {
			return connection;
		}
		return JdbcProxies.connection(connection);
	}

}
