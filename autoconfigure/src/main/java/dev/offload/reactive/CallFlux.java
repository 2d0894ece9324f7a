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

import java.util.concurrent.Callable;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.ContextView;

import dev.offload.executor.OffloadCallSite;

/**
 * A lazy {@code Flux} of offloaded calls: each subscription submits one call, on the
 * subscribing thread and with its context (see {@link SubscriberContext}); the worker
 * subscribes to the body's publisher and drains it at the subscriber's demand (see
 * {@link FluxCallSubscription}), so that a blocking source is read on the worker and the
 * call is running until the publisher completes. Cancelling the subscription
 * ({@code dispose()}, {@code take(n)}, a {@code timeout} operator) cancels the call with
 * {@code cancel(true)}.
 *
 * @param <T> the type of the elements
 */
final class CallFlux<T> extends Flux<T> {

	private static final Object NO_SECURITY_CONTEXT = new Object();

	private final OffloadCallSite site;

	private final Function<ContextView, Callable<?>> tasks;

	private final @Nullable Object securityContext;

	private final boolean securityResolved;

	/**
	 * Creates a {@code Flux} of calls.
	 * @param site the call site
	 * @param tasks makes the body of one subscription, which returns the publisher to
	 * drain, given the subscriber's context
	 */
	CallFlux(OffloadCallSite site, Function<ContextView, Callable<?>> tasks) {
		this(site, tasks, null, false);
	}

	private CallFlux(OffloadCallSite site, Function<ContextView, Callable<?>> tasks, @Nullable Object securityContext,
			boolean securityResolved) {
		this.site = site;
		this.tasks = tasks;
		this.securityContext = securityContext;
		this.securityResolved = securityResolved;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		ContextView context = actual.currentContext();
		if (!this.securityResolved) {
			Mono<?> security = SubscriberContext.findSecurityContext(context);
			if (security != null) {
				security.cast(Object.class)
					.defaultIfEmpty(NO_SECURITY_CONTEXT)
					.flatMapMany((resolved) -> new CallFlux<T>(this.site, this.tasks,
							(resolved != NO_SECURITY_CONTEXT) ? resolved : null, true))
					.subscribe(actual);
				return;
			}
		}
		CoreSubscriber<? super T> serialized = Operators.serialize(actual);
		FluxCallSubscription<T> subscription = new FluxCallSubscription<>(serialized, context);
		serialized.onSubscribe(subscription);
		if (subscription.isCancelled()) {
			return;
		}
		Callable<?> body = this.tasks.apply(context);
		Callable<?> task = () -> {
			subscription.drain((Publisher<?>) body.call());
			return null;
		};
		subscription.start(SubscriberContext.submit(this.site, task, context, this.securityContext));
	}

	@Override
	public String toString() {
		return "Flux[" + this.site + "]";
	}

}
