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

import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Waits on the worker, in the body, for the {@code Mono} a body returned: subscribes to
 * it on the worker (with the subscriber's context), so that the call is running until it
 * has signalled, and hands over its value, emptiness ({@code null}) or the very exception
 * it signalled. An interrupt (the call was cancelled or timed out) cancels it.
 */
final class SingleAwaiter implements CoreSubscriber<Object> {

	private final Context context;

	private final Thread waiter = Thread.currentThread();

	private volatile @Nullable Subscription upstream;

	private @Nullable Object value;

	private @Nullable Throwable error;

	private volatile boolean done;

	private SingleAwaiter(ContextView context) {
		this.context = Context.of(context);
	}

	/**
	 * Returns the value of the body's result, waiting for it if it is a publisher.
	 * @param result what the body returned
	 * @param context the subscriber's context
	 * @return the value, or {@code null} for empty
	 * @throws Exception what the publisher signalled, or an {@link InterruptedException}
	 */
	static @Nullable Object await(@Nullable Object result, ContextView context) throws Exception {
		if (!(result instanceof Publisher<?> publisher)) {
			return result;
		}
		if (publisher instanceof Fuseable.ScalarCallable<?> scalar) {
			// A constant (Mono.just, Mono.empty): its value is read without a
			// subscription, as Reactor's own operators read it. What one throws (a
			// Mono.error, wrapped when not an Exception) is not rethrown: subscribing
			// to it below signals the very exception.
			try {
				return scalar.call();
			}
			catch (Throwable ex) {
				// Subscribed to below.
			}
		}
		SingleAwaiter awaiter = new SingleAwaiter(context);
		publisher.subscribe(awaiter);
		return awaiter.await();
	}

	private @Nullable Object await() throws Exception {
		while (!this.done) {
			if (Thread.interrupted()) {
				Subscription upstream = this.upstream;
				if (upstream != null) {
					upstream.cancel();
				}
				throw new InterruptedException();
			}
			LockSupport.park(this);
		}
		Throwable error = this.error;
		if (error != null) {
			throw Throwables.<Exception>sneaky(error);
		}
		return this.value;
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(Object value) {
		if (this.done) {
			return;
		}
		// A Mono signals one value; a publisher in its place gives its first.
		this.value = value;
		Subscription upstream = this.upstream;
		if (upstream != null) {
			upstream.cancel();
		}
		signalDone();
	}

	@Override
	public void onError(Throwable ex) {
		if (!this.done) {
			this.error = ex;
			signalDone();
		}
	}

	@Override
	public void onComplete() {
		if (!this.done) {
			signalDone();
		}
	}

	private void signalDone() {
		this.done = true;
		if (Thread.currentThread() != this.waiter) {
			LockSupport.unpark(this.waiter);
		}
	}

}
