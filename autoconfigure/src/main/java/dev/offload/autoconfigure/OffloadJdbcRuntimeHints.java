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

package dev.offload.autoconfigure;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the JDBC statement cancellation needs at run time in a native image: the JDK
 * proxies of the connections and statements of offloaded bodies, and the PostgreSQL
 * driver's connection type, whose {@code cancelQuery()} a second cancel calls by
 * reflection.
 */
class OffloadJdbcRuntimeHints implements RuntimeHintsRegistrar {

	static final String POSTGRES_CONNECTION = "org.postgresql.core.BaseConnection";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.proxies().registerJdkProxy(Connection.class);
		hints.proxies().registerJdkProxy(Statement.class);
		hints.proxies().registerJdkProxy(PreparedStatement.class);
		hints.proxies().registerJdkProxy(CallableStatement.class);
		hints.reflection()
			.registerTypeIfPresent(classLoader, POSTGRES_CONNECTION,
					(type) -> type.withMembers(MemberCategory.INVOKE_PUBLIC_METHODS));
	}

}
