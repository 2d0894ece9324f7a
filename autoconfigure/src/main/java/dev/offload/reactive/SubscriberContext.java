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

package dev.offload.reactive;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.ClassUtils;

import dev.offload.executor.OffloadCall;
import dev.offload.executor.OffloadCallSite;

/**
 * Submits a call on the subscribing thread with what the subscriber's chain carries, so
 * that the usual capture sees it:
 * <ul>
 * <li>with Reactor's automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}), the thread-local values that the
 * registered {@code ThreadLocalAccessor}s keep in the Reactor {@code Context} (a request
 * id a {@code WebFilter} wrote) are set on the subscribing thread for the capture;</li>
 * <li>the {@code SecurityContext} of Spring Security's reactive support
 * ({@code ReactiveSecurityContextHolder}, kept in the Reactor {@code Context}) is set in
 * the {@code SecurityContextHolder} for the capture, so that a blocking body reads it
 * where blocking code expects it.</li>
 * </ul>
 * The subscribing thread is put back as it was right after the submission.
 */
final class SubscriberContext {

	private static final ClassLoader CLASS_LOADER = SubscriberContext.class.getClassLoader();

	private static final boolean CONTEXT_PROPAGATION_PRESENT = ClassUtils
		.isPresent("io.micrometer.context.ContextSnapshotFactory", CLASS_LOADER);

	private static final boolean SECURITY_PRESENT = ClassUtils
		.isPresent("org.springframework.security.core.context.ReactiveSecurityContextHolder", CLASS_LOADER);

	private SubscriberContext() {
	}

	/**
	 * Returns the security context that Spring Security's reactive support keeps in the
	 * Reactor {@code Context}, still to be resolved.
	 * @param context the subscriber's context
	 * @return the security context's {@code Mono}, or {@code null} if there is none
	 */
	static @Nullable Mono<?> findSecurityContext(ContextView context) {
		return (SECURITY_PRESENT && !context.isEmpty()) ? Security.find(context) : null;
	}

	/**
	 * Submits the task to the site's executor on the current thread, with the
	 * subscriber's context in place for the capture.
	 * @param site the call site
	 * @param task the task
	 * @param context the subscriber's context
	 * @param securityContext a resolved reactive {@code SecurityContext}, or {@code null}
	 * @return the call
	 */
	static <T> OffloadCall<T> submit(OffloadCallSite site, Object task, ContextView context,
			@Nullable Object securityContext) {
		AutoCloseable threadLocals = (CONTEXT_PROPAGATION_PRESENT && !context.isEmpty()
				&& Hooks.isAutomaticContextPropagationEnabled()) ? ThreadLocals.setFrom(context) : null;
		try {
			if (securityContext == null) {
				return site.submit(task);
			}
			Object previous = Security.install(securityContext);
			try {
				return site.submit(task);
			}
			finally {
				Security.uninstall(previous);
			}
		}
		finally {
			if (threadLocals != null) {
				ThreadLocals.close(threadLocals);
			}
		}
	}

	/**
	 * Context-propagation, only loaded when it is on the classpath.
	 */
	private static final class ThreadLocals {

		private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

		/**
		 * Sets the thread locals from the context, unless they hold its values already:
		 * the usual case under automatic propagation, where the {@code contextWrite}
		 * downstream has just set them around this very subscription. Reading them is
		 * cheaper than setting them and putting them back (a snapshot of the previous
		 * values, maps, a scope).
		 */
		static @Nullable AutoCloseable setFrom(ContextView context) {
			return inPlace(context) ? null : FACTORY.setThreadLocalsFrom(context);
		}

		private static boolean inPlace(ContextView context) {
			List<ThreadLocalAccessor<?>> accessors = ContextRegistry.getInstance().getThreadLocalAccessors();
			// Indexed: an iterator would be an allocation per call.
			for (int i = 0; i < accessors.size(); i++) {
				ThreadLocalAccessor<?> accessor = accessors.get(i);
				Object value = context.getOrDefault(accessor.key(), null);
				if (value != null && value != accessor.getValue()) {
					return false;
				}
			}
			return true;
		}

		static void close(AutoCloseable scope) {
			((ContextSnapshot.Scope) scope).close();
		}

	}

	/**
	 * Spring Security, only loaded when it is on the classpath.
	 */
	private static final class Security {

		static @Nullable Mono<?> find(ContextView context) {
			Object value = context.getOrDefault(SecurityContext.class, null);
			return (value instanceof Mono<?> mono) ? mono : null;
		}

		static Object install(Object securityContext) {
			SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
			Supplier<SecurityContext> previous = strategy.getDeferredContext();
			strategy.setContext((SecurityContext) securityContext);
			return previous;
		}

		@SuppressWarnings("unchecked")
		static void uninstall(Object previous) {
			SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();
			SecurityContext context = ((Supplier<SecurityContext>) previous).get();
			if (context.getAuthentication() != null) {
				strategy.setContext(context);
			}
			else {
				strategy.clearContext();
			}
		}

	}

}
