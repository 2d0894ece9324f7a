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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.ReactiveOffloader;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadCallSite.TaskKind;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;

/**
 * The {@link ReactiveOffloader} on the offload executors: one call site per method and
 * executor, built once.
 *
 * @since 0.1.0
 */
public final class DefaultReactiveOffloader implements ReactiveOffloader {

	private static final String CLASS_NAME = ReactiveOffloader.class.getName();

	private final OffloadExecutors executors;

	private final OffloadCallSite monoSite;

	private final OffloadCallSite runSite;

	private final OffloadCallSite fluxSite;

	private final Map<String, DefaultReactiveOffloader> byExecutor;

	private final long explicitTimeoutNanos;

	/**
	 * Creates a reactive offloader on the default executor.
	 * @param executors the executors
	 */
	public DefaultReactiveOffloader(OffloadExecutors executors) {
		this(executors, executors.getDefaultExecutor(), executors.getDefaultExecutor().getTimeoutNanos(),
				new ConcurrentHashMap<>(), 0);
	}

	private DefaultReactiveOffloader(OffloadExecutors executors, OffloadExecutor executor, long timeoutNanos,
			Map<String, DefaultReactiveOffloader> byExecutor, long explicitTimeoutNanos) {
		this.executors = executors;
		this.monoSite = new OffloadCallSite(executor, timeoutNanos, CLASS_NAME, "mono", "ReactiveOffloader.mono", false,
				TaskKind.CALLABLE);
		this.runSite = new OffloadCallSite(executor, timeoutNanos, CLASS_NAME, "run", "ReactiveOffloader.run", false,
				TaskKind.CALLABLE);
		this.fluxSite = new OffloadCallSite(executor, timeoutNanos, CLASS_NAME, "flux", "ReactiveOffloader.flux", false,
				TaskKind.CALLABLE);
		this.byExecutor = byExecutor;
		this.explicitTimeoutNanos = explicitTimeoutNanos;
	}

	@Override
	public <T> Mono<T> mono(Callable<? extends @Nullable T> task) {
		Assert.notNull(task, "'task' must not be null");
		return new CallMono<>(this.monoSite, (context) -> task, false);
	}

	@Override
	public Mono<Void> run(Runnable task) {
		Assert.notNull(task, "'task' must not be null");
		Callable<@Nullable Void> callable = () -> {
			task.run();
			return null;
		};
		return new CallMono<>(this.runSite, (context) -> callable, false);
	}

	@Override
	public <T> Flux<T> flux(Callable<? extends Publisher<? extends T>> source) {
		Assert.notNull(source, "'source' must not be null");
		return new CallFlux<>(this.fluxSite, (context) -> source);
	}

	@Override
	public ReactiveOffloader executor(String name) {
		Assert.hasText(name, "'name' must not be empty");
		if (this.explicitTimeoutNanos > 0) {
			return new DefaultReactiveOffloader(this.executors, this.executors.get(name), this.explicitTimeoutNanos,
					this.byExecutor, this.explicitTimeoutNanos);
		}
		return this.byExecutor.computeIfAbsent(name, (key) -> {
			OffloadExecutor executor = this.executors.get(key);
			return new DefaultReactiveOffloader(this.executors, executor, executor.getTimeoutNanos(), this.byExecutor,
					0);
		});
	}

	@Override
	public ReactiveOffloader timeout(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return new DefaultReactiveOffloader(this.executors, this.monoSite.getExecutor(), timeout.toNanos(),
				this.byExecutor, timeout.toNanos());
	}

	@Override
	public Mono<Void> join(OffloadScope scope) {
		Assert.notNull(scope, "'scope' must not be null");
		return ReactiveCalls.fromFuture(scope::join);
	}

	@Override
	public <R> Mono<R> join(OffloadScope scope, Supplier<? extends R> result) {
		Assert.notNull(scope, "'scope' must not be null");
		Assert.notNull(result, "'result' must not be null");
		return ReactiveCalls.fromFuture(() -> scope.join(result));
	}

	@Override
	public String toString() {
		return "ReactiveOffloader[" + this.monoSite.getExecutor().getName() + "]";
	}

}
