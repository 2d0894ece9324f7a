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

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * The subscription of a {@code Mono} over a future made at subscription (an offloaded
 * call, a scope's join): signals the future's value, emptiness ({@code null}) or the very
 * exception it completed with; cancelling the subscription cancels the future with
 * {@code cancel(true)}, which for an offloaded call drops a queued call and interrupts a
 * running body.
 *
 * @param <T> the type of the value
 */
final class FutureSubscription<T> extends Operators.MonoSubscriber<T, T>
		implements BiConsumer<@Nullable T, @Nullable Throwable> {

	private volatile @Nullable CompletableFuture<? extends T> future;

	FutureSubscription(CoreSubscriber<? super T> actual) {
		super(actual);
	}

	/**
	 * Follows the future; cancels it if the subscription was cancelled meanwhile.
	 */
	void start(CompletableFuture<? extends T> future) {
		this.future = future;
		if (isCancelled()) {
			future.cancel(true);
			return;
		}
		future.whenComplete(this);
	}

	@Override
	public void accept(@Nullable T value, @Nullable Throwable ex) {
		if (ex != null) {
			if (!isCancelled()) {
				this.actual.onError(ex);
			}
		}
		else if (value == null) {
			if (!isCancelled()) {
				this.actual.onComplete();
			}
		}
		else {
			complete(value);
		}
	}

	@Override
	public void cancel() {
		super.cancel();
		CompletableFuture<? extends T> future = this.future;
		if (future != null) {
			future.cancel(true);
		}
	}

}
