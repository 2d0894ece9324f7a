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

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadCancellation;
import dev.offload.executor.CancelHooks;
import dev.offload.executor.OffloadCall;

/**
 * The executions of one statement created inside an offloaded body: each {@code execute…}
 * call on an offload worker registers the statement's cancel as a cancel hook of the
 * running call for as long as it runs, and gets the time left until the call's timeout as
 * its query timeout.
 * <p>
 * The query timeout the code sets is remembered, so that the deadline's shorter one is
 * applied only for the execution that needs it, and the code's own is back for an
 * execution without a deadline. A statement is used by one thread at a time, as JDBC
 * requires, so this state needs no lock.
 */
final class StatementExecutions {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final Statement target;

	/**
	 * The query timeout the code set, in seconds; -1 until read from the driver.
	 */
	private int userTimeout = -1;

	/**
	 * The query timeout the driver has, in seconds; -1 until known.
	 */
	private int driverTimeout = -1;

	StatementExecutions(Statement target) {
		this.target = target;
	}

	@Nullable Object execute(Method method, @Nullable Object[] args) throws Throwable {
		OffloadCall<?> call = CancelHooks.currentCall();
		if (call == null) {
			restoreTimeout();
			return invoke(method, args);
		}
		applyDeadline(CancelHooks.remainingNanos(call));
		StatementExecution execution = new StatementExecution(this.target, call);
		OffloadCancellation.Registration registration = CancelHooks.registerUnlessStopped(call, execution);
		if (registration == null) {
			throw StatementExecution.refused(call);
		}
		try {
			return invoke(method, args);
		}
		finally {
			try {
				registration.close();
			}
			finally {
				execution.end();
			}
		}
	}

	@Nullable Object invoke(Method method, @Nullable Object[] args) throws Throwable {
		return JdbcProxies.invoke(this.target, method, args);
	}

	void setQueryTimeout(int seconds) throws SQLException {
		this.target.setQueryTimeout(seconds);
		this.userTimeout = seconds;
		this.driverTimeout = seconds;
	}

	int getQueryTimeout() throws SQLException {
		return (this.userTimeout >= 0) ? this.userTimeout : this.target.getQueryTimeout();
	}

	/**
	 * Gives the statement the time left as its query timeout, unless the code's own is
	 * shorter.
	 * @param remainingNanos the time left until the call's timeout, or
	 * {@link Long#MAX_VALUE} for none
	 */
	private void applyDeadline(long remainingNanos) throws SQLException {
		if (remainingNanos == Long.MAX_VALUE) {
			restoreTimeout();
			return;
		}
		int seconds = toSeconds(remainingNanos);
		int user = userTimeout();
		int timeout = (user > 0 && user <= seconds) ? user : seconds;
		if (timeout != this.driverTimeout) {
			this.target.setQueryTimeout(timeout);
			this.driverTimeout = timeout;
		}
	}

	/**
	 * Returns whole seconds, rounded up, at least 1: a query timeout of 0 would mean
	 * none.
	 */
	static int toSeconds(long nanos) {
		if (nanos <= 0) {
			return 1;
		}
		long seconds = nanos / NANOS_PER_SECOND + ((nanos % NANOS_PER_SECOND != 0) ? 1 : 0);
		return (int) Math.min(Integer.MAX_VALUE, seconds);
	}

	private int userTimeout() throws SQLException {
		if (this.userTimeout < 0) {
			this.userTimeout = this.target.getQueryTimeout();
			this.driverTimeout = this.userTimeout;
		}
		return this.userTimeout;
	}

	private void restoreTimeout() throws SQLException {
		if (this.driverTimeout != this.userTimeout) {
			this.target.setQueryTimeout(this.userTimeout);
			this.driverTimeout = this.userTimeout;
		}
	}

}
