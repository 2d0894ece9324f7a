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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * One subscription of a {@link CallFlux}: the subscriber's side (demand, cancel, the
 * terminal signal from the call's outcome) and the worker's (subscribing to the body's
 * publisher and draining it).
 * <p>
 * The worker asks the body's publisher for elements only on the worker, as the subscriber
 * asks for them: a {@code request(n)} from the subscriber's thread is handed to the
 * worker, never run there, so that a blocking source ({@code Flux.fromIterable(cursor)})
 * is read on the worker alone. Elements reach the subscriber as the publisher emits them;
 * the subscriber's {@code onComplete} or {@code onError} comes from the call's outcome,
 * so that a timeout, a rejection or shutdown is signalled like any call's. Signals are
 * serialized ({@code Operators.serialize}), since a timeout may complete the call while
 * the worker still emits.
 *
 * @param <T> the type of the elements
 */
final class FluxCallSubscription<T>
		implements Subscription, CoreSubscriber<Object>, BiConsumer<@Nullable Object, @Nullable Throwable> {

	private static final VarHandle DEMAND;

	static {
		try {
			DEMAND = MethodHandles.lookup().findVarHandle(FluxCallSubscription.class, "demand", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final CoreSubscriber<? super T> actual;

	private final Context context;

	private final Thread subscriber = Thread.currentThread();

	private volatile long demand;

	private volatile boolean cancelled;

	private volatile @Nullable CompletableFuture<?> call;

	private volatile @Nullable Thread worker;

	private volatile @Nullable Subscription upstream;

	private volatile boolean upstreamDone;

	private @Nullable Throwable upstreamError;

	FluxCallSubscription(CoreSubscriber<? super T> actual, ContextView context) {
		this.actual = actual;
		this.context = Context.of(context);
	}

	boolean isCancelled() {
		return this.cancelled;
	}

	/**
	 * Follows the call; cancels it if the subscription was cancelled meanwhile.
	 */
	void start(CompletableFuture<?> call) {
		this.call = call;
		if (this.cancelled) {
			call.cancel(true);
			return;
		}
		call.whenComplete(this);
	}

	// The subscriber's side

	@Override
	public void request(long n) {
		if (!Operators.validate(n)) {
			return;
		}
		long current;
		do {
			current = this.demand;
		}
		while (!DEMAND.compareAndSet(this, current, Operators.addCap(current, n)));
		wakeWorker();
	}

	@Override
	public void cancel() {
		if (this.cancelled) {
			return;
		}
		this.cancelled = true;
		CompletableFuture<?> call = this.call;
		if (call != null) {
			call.cancel(true);
		}
		wakeWorker();
	}

	@Override
	public void accept(@Nullable Object value, @Nullable Throwable ex) {
		if (this.cancelled) {
			return;
		}
		if (ex != null) {
			this.actual.onError(ex);
		}
		else {
			this.actual.onComplete();
		}
	}

	// The worker's side

	/**
	 * Subscribes to the body's publisher and drains it at the subscriber's demand; on the
	 * worker, in the body. Returns when the publisher completes, throws what it signals,
	 * or an {@link InterruptedException} once the call is cancelled or has timed out (its
	 * subscription is then cancelled).
	 */
	void drain(@Nullable Publisher<?> publisher) throws Exception {
		if (publisher == null) {
			return;
		}
		this.worker = Thread.currentThread();
		publisher.subscribe(this);
		for (;;) {
			if (this.upstreamDone) {
				Throwable error = this.upstreamError;
				if (error != null) {
					throw Throwables.<Exception>sneaky(error);
				}
				return;
			}
			Subscription upstream = this.upstream;
			// A cancel is acted upon through the interrupt that cancelling the call
			// brings, so that the call's outcome is "cancelled"; the cancel may come
			// before the subscriber knows the call, which it cancels as soon as it does.
			// Only a call run inline by the subscribing thread itself (a nested call)
			// cannot wait for that.
			if (Thread.interrupted() || (this.cancelled && this.worker == this.subscriber)) {
				if (upstream != null) {
					upstream.cancel();
				}
				throw new InterruptedException();
			}
			if (upstream != null) {
				long n = (long) DEMAND.getAndSet(this, 0L);
				if (n > 0) {
					upstream.request(n);
					continue;
				}
			}
			LockSupport.park(this);
		}
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		wakeWorker();
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onNext(Object element) {
		CompletableFuture<?> call = this.call;
		if (this.cancelled || (call != null && call.isDone())) {
			// Cancelled or timed out: the subscriber gets nothing more.
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			return;
		}
		this.actual.onNext((T) element);
	}

	@Override
	public void onError(Throwable ex) {
		this.upstreamError = ex;
		this.upstreamDone = true;
		wakeWorker();
	}

	@Override
	public void onComplete() {
		this.upstreamDone = true;
		wakeWorker();
	}

	private void wakeWorker() {
		Thread worker = this.worker;
		if (worker != null && worker != Thread.currentThread()) {
			LockSupport.unpark(worker);
		}
	}

}
