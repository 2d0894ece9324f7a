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

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * The JDK proxies of a connection obtained inside an offloaded body and of its
 * statements, as Spring's own {@code TransactionAwareDataSourceProxy} makes them: the
 * connection's proxy wraps the statements it creates; a statement's proxy runs each
 * {@code execute…} call as a {@link StatementExecution}. Everything else goes to the
 * driver's objects unchanged.
 */
final class JdbcProxies {

	private static final ClassLoader CLASS_LOADER = JdbcProxies.class.getClassLoader();

	private static final Class<?>[] CONNECTION = { Connection.class };

	private JdbcProxies() {
	}

	/**
	 * Returns a proxy of the connection, or the connection itself if it is one already (a
	 * data source wrapped twice, directly or through another wrapper).
	 */
	static Connection connection(Connection target) {
		if (isProxy(target)) {
			return target;
		}
		return (Connection) Proxy.newProxyInstance(CLASS_LOADER, CONNECTION, new ConnectionHandler(target));
	}

	private static boolean isProxy(Object object) {
		return Proxy.isProxyClass(object.getClass()) && Proxy.getInvocationHandler(object) instanceof JdbcHandler;
	}

	static @Nullable Object invoke(Object target, Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * What both proxies share: identity, {@code toString} and the {@code Wrapper}
	 * methods.
	 */
	abstract static class JdbcHandler implements InvocationHandler {

		private final Object target;

		JdbcHandler(Object target) {
			this.target = target;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			switch (method.getName()) {
				case "equals":
					return args != null && proxy == args[0];
				case "hashCode":
					return System.identityHashCode(proxy);
				case "toString":
					return "Offload proxy of " + this.target;
				case "unwrap":
					if (args != null && args[0] instanceof Class<?> type && type.isInstance(proxy)) {
						return proxy;
					}
					break;
				case "isWrapperFor":
					if (args != null && args[0] instanceof Class<?> type && type.isInstance(proxy)) {
						return true;
					}
					break;
				default:
			}
			return handle(proxy, method, args);
		}

		abstract @Nullable Object handle(Object proxy, Method method, @Nullable Object[] args) throws Throwable;

	}

	private static final class ConnectionHandler extends JdbcHandler {

		private final Connection target;

		ConnectionHandler(Connection target) {
			super(target);
			this.target = target;
		}

		@Override
		@Nullable Object handle(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			Object result = JdbcProxies.invoke(this.target, method, args);
			if (result instanceof Statement statement && Statement.class.isAssignableFrom(method.getReturnType())
					&& !isProxy(statement)) {
				// createStatement (Statement), prepareStatement (PreparedStatement),
				// prepareCall (CallableStatement): the proxy has the declared type.
				return Proxy.newProxyInstance(CLASS_LOADER, new Class<?>[] { method.getReturnType() },
						new StatementHandler(statement, (Connection) proxy));
			}
			return result;
		}

	}

	private static final class StatementHandler extends JdbcHandler {

		private final StatementExecutions executions;

		private final Connection connection;

		StatementHandler(Statement target, Connection connection) {
			super(target);
			this.executions = new StatementExecutions(target);
			this.connection = connection;
		}

		@Override
		@Nullable Object handle(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			String name = method.getName();
			if (name.startsWith("execute")) {
				return this.executions.execute(method, args);
			}
			switch (name) {
				case "getConnection":
					return this.connection;
				case "setQueryTimeout":
					this.executions.setQueryTimeout((args != null) ? (Integer) args[0] : 0);
					return null;
				case "getQueryTimeout":
					return this.executions.getQueryTimeout();
				default:
					return this.executions.invoke(method, args);
			}
		}

	}

}
