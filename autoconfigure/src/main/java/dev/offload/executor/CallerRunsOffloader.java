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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.Offloader;

/**
 * The {@link Offloader} used when {@code offload.enabled=false}: it runs every task on
 * the caller thread and returns a future that is already complete, exactly as an
 * {@code @Offload} method behaves then.
 *
 * @since 0.1.0
 */
public final class CallerRunsOffloader implements Offloader {

	/**
	 * Creates an offloader that runs every call on the caller thread.
	 */
	public CallerRunsOffloader() {
	}

	@Override
	public <T> CompletableFuture<T> call(Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		try {
			return CompletableFuture.completedFuture(task.call());
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> run(Runnable task) {
		Assert.notNull(task, "'task' must not be null");
		try {
			task.run();
			return CompletableFuture.completedFuture(null);
		}
		catch (Throwable ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public Offloader executor(String name) {
		return this;
	}

	@Override
	public Offloader timeout(Duration timeout) {
		return this;
	}

	/**
	 * Opens a scope whose members run on the caller thread, one after another, as they
	 * are added; its deadline is checked whenever a member is added and at {@code join}.
	 */
	@Override
	public OffloadScope scope(OffloadScope.Policy policy, @Nullable Duration deadline) {
		return new DefaultOffloadScope(this, policy, deadline, null);
	}

}
