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

package dev.offload.executor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.Offloader;
import dev.offload.executor.OffloadCallSite.TaskKind;

/**
 * The {@link Offloader} that submits to the offload executors. Its call sites are built
 * once per executor and timeout, so a call costs what an {@code @Offload} call costs.
 * <p>
 * In the {@code offload.calls} meter its calls are tagged
 * {@code class=dev.offload.Offloader} and {@code method=call} or {@code method=run}.
 *
 * @since 0.1.0
 */
public final class DefaultOffloader implements Offloader {

	private static final String CLASS_NAME = Offloader.class.getName();

	private final OffloadExecutors executors;

	private final OffloadCallSite callSite;

	private final OffloadCallSite runSite;

	private final Map<String, DefaultOffloader> byExecutor;

	private final long explicitTimeoutNanos;

	/**
	 * Creates an offloader for the default executor of the registry.
	 * @param executors the registry
	 */
	public DefaultOffloader(OffloadExecutors executors) {
		this(executors, executors.getDefaultExecutor(), 0, new ConcurrentHashMap<>(), 0);
	}

	private DefaultOffloader(OffloadExecutors executors, OffloadExecutor executor, long timeoutNanos,
			Map<String, DefaultOffloader> byExecutor, long explicitTimeoutNanos) {
		this.executors = executors;
		this.callSite = new OffloadCallSite(executor, timeoutNanos, CLASS_NAME, "call", "Offloader.call", false,
				TaskKind.CALLABLE);
		this.runSite = new OffloadCallSite(executor, timeoutNanos, CLASS_NAME, "run", "Offloader.run", false,
				TaskKind.RUNNABLE);
		this.byExecutor = byExecutor;
		this.explicitTimeoutNanos = explicitTimeoutNanos;
	}

	@Override
	public <T> CompletableFuture<T> call(Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		return this.callSite.submit(task);
	}

	@Override
	public CompletableFuture<Void> run(Runnable task) {
		Assert.notNull(task, "'task' must not be null");
		return this.runSite.submit(task);
	}

	@Override
	public Offloader executor(String name) {
		Assert.hasText(name, "'name' must not be empty");
		if (this.explicitTimeoutNanos > 0) {
			// A timeout chosen with timeout(Duration) carries over to the named executor.
			return new DefaultOffloader(this.executors, this.executors.get(name), this.explicitTimeoutNanos,
					this.byExecutor, this.explicitTimeoutNanos);
		}
		return this.byExecutor.computeIfAbsent(name, (key) -> {
			OffloadExecutor executor = this.executors.get(key);
			return new DefaultOffloader(this.executors, executor, 0, this.byExecutor, 0);
		});
	}

	@Override
	public Offloader timeout(Duration timeout) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		return new DefaultOffloader(this.executors, this.callSite.getExecutor(), timeout.toNanos(), this.byExecutor,
				timeout.toNanos());
	}

	@Override
	public OffloadScope scope(OffloadScope.Policy policy, @Nullable Duration deadline) {
		return new DefaultOffloadScope(this, policy, deadline, this.executors.getTimeouts());
	}

	@Override
	public String toString() {
		return "Offloader[" + this.callSite.getExecutor().getName() + "]";
	}

}
