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

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A future of an offload scope: cancelling it, or completing it from outside (as
 * {@code orTimeout} and {@code completeOnTimeout} do), cancels the scope and every
 * unfinished member before the future completes. The scope completes it through
 * {@link #completeInternal}, so that it never completes before the members it cancels.
 * Stages derived from it are plain {@link CompletableFuture}s.
 *
 * @param <T> the type of the result
 */
final class ScopeFuture<T> extends CompletableFuture<T> {

	private final ScopeLifecycle scope;

	ScopeFuture(ScopeLifecycle scope) {
		this.scope = scope;
	}

	void completeInternal(@Nullable T value, @Nullable Throwable ex) {
		if (ex == null) {
			super.complete(value);
		}
		else {
			super.completeExceptionally(ex);
		}
	}

	@SuppressWarnings("unchecked")
	void completeInternalWith(@Nullable Object value) {
		super.complete((T) value);
	}

	/**
	 * Cancels the scope, which then cancels this future once every member is cancelled.
	 * If the scope's outcome was decided already, this future completes with it, unless
	 * the scope has completed (a future of {@code join(Supplier)} still making its
	 * result).
	 */
	@Override
	public boolean cancel(boolean mayInterruptIfRunning) {
		if (this.scope.cancelBy(new CancellationException("The offload scope's future was cancelled"), null, null)) {
			return isCancelled();
		}
		return this.scope.isComplete() && super.cancel(mayInterruptIfRunning);
	}

	@Override
	public boolean completeExceptionally(Throwable ex) {
		if (this.scope.cancelBy(ex, null, null)) {
			return true;
		}
		return this.scope.isComplete() && super.completeExceptionally(ex);
	}

	@Override
	public boolean complete(T value) {
		if (this.scope.cancelBy(new CancellationException("The offload scope's future was completed by its caller"),
				this, value)) {
			return true;
		}
		return this.scope.isComplete() && super.complete(value);
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new CompletableFuture<>();
	}

}
