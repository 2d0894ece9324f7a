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

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.ReactiveOffloader;

/**
 * The {@link ReactiveOffloader} when {@code offload.enabled=false}: every subscription
 * runs the task on the subscribing thread, as {@code @Offload} methods then run on their
 * caller's.
 *
 * @since 0.1.0
 */
public final class CallerRunsReactiveOffloader implements ReactiveOffloader {

	@Override
	public <T> Mono<T> mono(Callable<? extends @Nullable T> task) {
		Assert.notNull(task, "'task' must not be null");
		return Mono.fromCallable(task);
	}

	@Override
	public Mono<Void> run(Runnable task) {
		Assert.notNull(task, "'task' must not be null");
		return Mono.fromRunnable(task);
	}

	@Override
	public <T> Flux<T> flux(Callable<? extends Publisher<? extends T>> source) {
		Assert.notNull(source, "'source' must not be null");
		return Flux.defer(() -> {
			try {
				return Flux.<T>from(source.call());
			}
			catch (Exception ex) {
				return Flux.error(ex);
			}
		});
	}

	@Override
	public ReactiveOffloader executor(String name) {
		Assert.hasText(name, "'name' must not be empty");
		return this;
	}

	@Override
	public ReactiveOffloader timeout(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return this;
	}

	@Override
	public Mono<Void> join(OffloadScope scope) {
		return ReactiveCalls.fromFuture(scope::join);
	}

	@Override
	public <R> Mono<R> join(OffloadScope scope, Supplier<? extends R> result) {
		return ReactiveCalls.fromFuture(() -> scope.join(result));
	}

}
