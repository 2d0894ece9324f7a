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
package dev.offload.limit;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What a body's failure must be, or be caused by, for its call to count as a drop: the
 * downstream is overloaded, so the limit must fall. Any other failure is the body's own
 * business (a missing row, a bug) and says nothing about the downstream's capacity.
 *
 * @since 0.1.0
 */
public final class DropExceptions {

	/**
	 * The drops of an executor that names none: a timeout, a rejection by the downstream,
	 * and what JDBC, a connection pool and the JDK's HTTP clients throw when the
	 * downstream does not answer in time. Those not on the classpath (the JDK's HTTP
	 * client module in a trimmed runtime) are left out.
	 */
	public static final List<String> DEFAULT_NAMES = List.of("java.util.concurrent.TimeoutException",
			"java.util.concurrent.RejectedExecutionException", "java.sql.SQLTransientConnectionException",
			"java.sql.SQLTimeoutException", "java.net.SocketTimeoutException", "java.net.http.HttpTimeoutException");

	/** How deep a cause chain is searched. */
	private static final int MAX_DEPTH = 16;

	private final Class<?>[] types;

	private DropExceptions(List<Class<?>> types) {
		this.types = types.toArray(new Class<?>[0]);
	}

	/**
	 * Returns the defaults, {@link #DEFAULT_NAMES}.
	 * @param classLoader where to look for them
	 * @return the drops
	 */
	public static DropExceptions defaults(@Nullable ClassLoader classLoader) {
		List<Class<?>> types = new ArrayList<>();
		for (String name : DEFAULT_NAMES) {
			if (ClassUtils.isPresent(name, classLoader)) {
				types.add(ClassUtils.resolveClassName(name, classLoader));
			}
		}
		return new DropExceptions(types);
	}

	/**
	 * Returns the drops of the given class names.
	 * @param names fully qualified names of {@link Throwable} types
	 * @param classLoader where to look for them
	 * @return the drops
	 * @throws IllegalArgumentException naming the first name that is not a
	 * {@code Throwable} on the classpath
	 */
	public static DropExceptions of(List<String> names, @Nullable ClassLoader classLoader) {
		List<Class<?>> types = new ArrayList<>();
		for (String name : names) {
			Class<?> type;
			try {
				type = ClassUtils.forName(name.trim(), classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				throw new IllegalArgumentException("'" + name + "' is not a class on the classpath", ex);
			}
			if (!Throwable.class.isAssignableFrom(type)) {
				throw new IllegalArgumentException("'" + name + "' is not a Throwable");
			}
			types.add(type);
		}
		return new DropExceptions(types);
	}

	/**
	 * Returns whether a failure is a drop: it, or one of its causes, is an instance of
	 * one of the types.
	 * @param failure what the body threw
	 * @return whether the call counts as a drop
	 */
	public boolean isDrop(Throwable failure) {
		// Bounded, so that a cycle of causes ends too.
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
			for (Class<?> type : this.types) {
				if (type.isInstance(current)) {
					return true;
				}
			}
			current = current.getCause();
		}
		return false;
	}

	/**
	 * Returns the names of the types, for a description.
	 * @return the names
	 */
	public List<String> getNames() {
		List<String> names = new ArrayList<>();
		for (Class<?> type : this.types) {
			names.add(type.getName());
		}
		return names;
	}

}
