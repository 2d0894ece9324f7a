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
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import dev.offload.executor.OffloadCallSite;

/**
 * A lazy {@code Mono} of offloaded calls: each subscription submits one call, on the
 * subscribing thread and with its context (see {@link SubscriberContext}), and signals
 * the call's outcome; cancelling the subscription cancels the call with
 * {@code cancel(true)}. Subscribing never blocks: a saturated executor is a
 * {@code RejectedExecutionException} signal.
 *
 * @param <T> the type of the value
 */
final class CallMono<T> extends Mono<T> {

	private static final Object NO_SECURITY_CONTEXT = new Object();

	private final OffloadCallSite site;

	private final Function<ContextView, Callable<?>> tasks;

	private final boolean awaitPublisher;

	private final @Nullable Object securityContext;

	private final boolean securityResolved;

	/**
	 * Creates a {@code Mono} of calls.
	 * @param site the call site
	 * @param tasks makes the body of one subscription, given the subscriber's context
	 * @param awaitPublisher whether the body returns a {@code Mono} (or another
	 * publisher), subscribed to on the worker, rather than the value itself ({@code null}
	 * for empty)
	 */
	CallMono(OffloadCallSite site, Function<ContextView, Callable<?>> tasks, boolean awaitPublisher) {
		this(site, tasks, awaitPublisher, null, false);
	}

	private CallMono(OffloadCallSite site, Function<ContextView, Callable<?>> tasks, boolean awaitPublisher,
			@Nullable Object securityContext, boolean securityResolved) {
		this.site = site;
		this.tasks = tasks;
		this.awaitPublisher = awaitPublisher;
		this.securityContext = securityContext;
		this.securityResolved = securityResolved;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		ContextView context = actual.currentContext();
		if (!this.securityResolved) {
			Mono<?> security = SubscriberContext.findSecurityContext(context);
			if (security != null) {
				// Reactive security: resolved first (at once, in the usual case),
				// then the call is made with it.
				security.cast(Object.class)
					.defaultIfEmpty(NO_SECURITY_CONTEXT)
					.flatMap((resolved) -> new CallMono<T>(this.site, this.tasks, this.awaitPublisher,
							(resolved != NO_SECURITY_CONTEXT) ? resolved : null, true))
					.subscribe(actual);
				return;
			}
		}
		FutureSubscription<T> subscription = new FutureSubscription<>(actual);
		actual.onSubscribe(subscription);
		if (subscription.isCancelled()) {
			return;
		}
		Callable<?> body = this.tasks.apply(context);
		Callable<?> task = this.awaitPublisher ? () -> SingleAwaiter.await(body.call(), context) : body;
		CompletableFuture<T> call = SubscriberContext.submit(this.site, task, context, this.securityContext);
		subscription.start(call);
	}

	@Override
	public String toString() {
		return "Mono[" + this.site + "]";
	}

}
