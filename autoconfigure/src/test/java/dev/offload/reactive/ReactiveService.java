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

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.Offload;
import dev.offload.executor.Latches;

/**
 * An {@code @Offload} bean with {@code Mono} and {@code Flux} methods whose body each
 * test chooses; it records what the body saw.
 */
public class ReactiveService {

	final AtomicInteger runs = new AtomicInteger();

	final Set<String> bodyThreads = ConcurrentHashMap.newKeySet();

	volatile Callable<?> body = () -> "value";

	volatile Supplier<? extends Publisher<?>> source = () -> Flux.just("a", "b", "c");

	volatile @Nullable String requestId;

	volatile @Nullable Authentication authentication;

	@Offload("io")
	public Mono<Object> mono() throws Exception {
		record();
		Object value = this.body.call();
		return (value instanceof Mono<?> mono) ? asObjects(mono) : Mono.justOrEmpty(value);
	}

	/**
	 * The body's {@code Mono} as it is ({@code cast} would wrap it in another operator).
	 */
	@SuppressWarnings("unchecked")
	private static Mono<Object> asObjects(Mono<?> mono) {
		return (Mono<Object>) mono;
	}

	@Offload(executor = "io", timeout = "300ms")
	public Mono<Object> monoWithTimeout() throws Exception {
		return mono();
	}

	@Offload("io")
	public Flux<Object> flux() {
		record();
		return Flux.from(this.source.get());
	}

	@Offload(executor = "io", timeout = "300ms")
	public Flux<Object> fluxWithTimeout() {
		return flux();
	}

	private void record() {
		this.runs.incrementAndGet();
		this.bodyThreads.add(Thread.currentThread().getName());
		this.requestId = MDC.get("requestId");
		this.authentication = SecurityContextHolder.getContext().getAuthentication();
	}

	/**
	 * An endless iterator that blocks on each element until released, and records on
	 * which threads it was read and whether it was interrupted.
	 */
	static final class BlockingCursor implements Iterable<Integer> {

		final Set<String> readers = ConcurrentHashMap.newKeySet();

		final CountDownLatch interrupted = new CountDownLatch(1);

		final CountDownLatch started = new CountDownLatch(1);

		final AtomicInteger read = new AtomicInteger();

		private final int free;

		/**
		 * @param free how many elements are read without blocking
		 */
		BlockingCursor(int free) {
			this.free = free;
		}

		@Override
		public Iterator<Integer> iterator() {
			return new Iterator<>() {

				@Override
				public boolean hasNext() {
					return true;
				}

				@Override
				public Integer next() {
					BlockingCursor.this.readers.add(Thread.currentThread().getName());
					BlockingCursor.this.started.countDown();
					int n = BlockingCursor.this.read.incrementAndGet();
					if (n > BlockingCursor.this.free) {
						try {
							// Bounded: a cursor that is never interrupted fails its test,
							// not the build.
							new CountDownLatch(1).await(Latches.SECONDS, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							BlockingCursor.this.interrupted.countDown();
							Thread.currentThread().interrupt();
							throw new IllegalStateException("cursor interrupted", ex);
						}
					}
					return n;
				}

			};
		}

	}

}
