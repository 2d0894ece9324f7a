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

package dev.offload.sample.webflux;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import dev.offload.sample.support.CallResult;

/**
 * The request id and user of a request, carried in the Reactor {@code Context} under the
 * keys {@code requestId} and {@code user}, and in the MDC under the same keys wherever
 * Reactor's automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) sets thread locals from the
 * {@code Context}.
 * <p>
 * A reactive request hops between threads, so a {@code ThreadLocal} such as the MDC
 * cannot carry it; the Reactor {@code Context} can. The two {@link ThreadLocalAccessor}s
 * below, registered with Micrometer's {@code ContextRegistry} through
 * {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}, map each key of
 * the {@code Context} to an MDC entry. Offload captures the MDC when a call is
 * subscribed, so the blocking body, on its worker, logs with the request id.
 */
public final class RequestContext {

	/**
	 * The key of the request id, in the Reactor {@code Context} and the MDC (where
	 * {@link CallResult} reads it).
	 */
	public static final String REQUEST_ID = CallResult.REQUEST_ID_MDC_KEY;

	/**
	 * The key of the authenticated user's name, in the Reactor {@code Context} and the
	 * MDC.
	 */
	public static final String USER = "user";

	private RequestContext() {
	}

	/**
	 * Maps one key of the Reactor {@code Context} to the MDC entry of the same name.
	 */
	abstract static class MdcEntryAccessor implements ThreadLocalAccessor<String> {

		private final String key;

		MdcEntryAccessor(String key) {
			this.key = key;
		}

		@Override
		public Object key() {
			return this.key;
		}

		@Override
		public @Nullable String getValue() {
			return MDC.get(this.key);
		}

		@Override
		public void setValue(String value) {
			MDC.put(this.key, value);
		}

		@Override
		public void setValue() {
			MDC.remove(this.key);
		}

	}

	/**
	 * The request id.
	 */
	public static final class RequestIdAccessor extends MdcEntryAccessor {

		/**
		 * Creates the accessor (the {@code ServiceLoader} does).
		 */
		public RequestIdAccessor() {
			super(REQUEST_ID);
		}

	}

	/**
	 * The user.
	 */
	public static final class UserAccessor extends MdcEntryAccessor {

		/**
		 * Creates the accessor (the {@code ServiceLoader} does).
		 */
		public UserAccessor() {
			super(USER);
		}

	}

}
