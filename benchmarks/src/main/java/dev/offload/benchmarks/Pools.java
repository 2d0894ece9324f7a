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
package dev.offload.benchmarks;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.resilience4j.core.ContextPropagator;
import org.slf4j.MDC;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The hand-written alternatives: a plain pool of the same shape as every other variant's,
 * the propagation a careful user writes around {@code supplyAsync}, and Resilience4j's
 * context propagators for the MDC and Spring Security.
 */
public final class Pools {

	private Pools() {
	}

	/**
	 * A fixed pool of {@link OffloadApp#POOL_SIZE} threads and a queue of
	 * {@link OffloadApp#QUEUE_CAPACITY}.
	 * @param prefix the threads' name prefix
	 * @return the pool
	 */
	public static ExecutorService newPool(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return new ThreadPoolExecutor(OffloadApp.POOL_SIZE, OffloadApp.POOL_SIZE, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(OffloadApp.QUEUE_CAPACITY), (runnable) -> {
					Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Hand-written propagation: capture the MDC map and the {@code SecurityContext} on
	 * the caller, install them on the worker, clear both afterwards.
	 * @param pool the pool
	 * @return the caller's future
	 */
	public static CompletableFuture<Seen> manual(ExecutorService pool) {
		Map<String, String> mdc = MDC.getCopyOfContextMap();
		SecurityContext security = SecurityContextHolder.getContext();
		return CompletableFuture.supplyAsync(() -> {
			if (mdc != null) {
				MDC.setContextMap(mdc);
			}
			SecurityContextHolder.setContext(security);
			try {
				return Seen.look();
			}
			finally {
				MDC.clear();
				SecurityContextHolder.clearContext();
			}
		}, pool);
	}

	/**
	 * Resilience4j propagator for the MDC map.
	 */
	public static final class MdcPropagator implements ContextPropagator<Map<String, String>> {

		@Override
		public Supplier<Optional<Map<String, String>>> retrieve() {
			return () -> Optional.ofNullable(MDC.getCopyOfContextMap());
		}

		@Override
		public Consumer<Optional<Map<String, String>>> copy() {
			return (map) -> map.ifPresentOrElse(MDC::setContextMap, MDC::clear);
		}

		@Override
		public Consumer<Optional<Map<String, String>>> clear() {
			return (map) -> MDC.clear();
		}

	}

	/**
	 * Resilience4j propagator for the Spring Security context.
	 */
	public static final class SecurityPropagator implements ContextPropagator<SecurityContext> {

		@Override
		public Supplier<Optional<SecurityContext>> retrieve() {
			return () -> Optional.of(SecurityContextHolder.getContext());
		}

		@Override
		public Consumer<Optional<SecurityContext>> copy() {
			return (context) -> context.ifPresent(SecurityContextHolder::setContext);
		}

		@Override
		public Consumer<Optional<SecurityContext>> clear() {
			return (context) -> SecurityContextHolder.clearContext();
		}

	}

}
