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
import java.util.function.Supplier;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * A lazy {@code Mono} of a future made at each subscription, cancelled with
 * {@code cancel(true)} when the subscription is.
 *
 * @param <T> the type of the value
 */
final class FutureMono<T> extends Mono<T> {

	private final Supplier<? extends CompletableFuture<? extends T>> futures;

	FutureMono(Supplier<? extends CompletableFuture<? extends T>> futures) {
		this.futures = futures;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		FutureSubscription<T> subscription = new FutureSubscription<>(actual);
		actual.onSubscribe(subscription);
		if (subscription.isCancelled()) {
			return;
		}
		CompletableFuture<? extends T> future;
		try {
			future = this.futures.get();
		}
		catch (Throwable ex) {
			actual.onError(ex);
			return;
		}
		subscription.start(future);
	}

}
