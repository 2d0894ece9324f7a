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
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.ProxyMethodInvocation;

import dev.offload.executor.OffloadCallSite;

/**
 * Makes the lazy {@code Mono} and {@code Flux} of offloaded calls: for an
 * {@code @Offload} method's invocation, a Kotlin {@code suspend} function's, or a task.
 * Used only where Reactor is on the classpath.
 *
 * @since 0.1.0
 */
public final class ReactiveCalls {

	private ReactiveCalls() {
	}

	/**
	 * Returns the {@code Mono} an {@code @Offload} method returning {@code Mono} gives
	 * its caller: each subscription runs the rest of the invocation on the site's
	 * executor and subscribes to the {@code Mono} it returns on the worker.
	 * @param site the method's call site
	 * @param invocation the intercepted invocation, not yet proceeded
	 * @return a lazy {@code Mono}
	 */
	public static Mono<Object> mono(OffloadCallSite site, MethodInvocation invocation) {
		return new CallMono<>(site, (context) -> proceeding(copy(invocation)), true);
	}

	/**
	 * Returns the {@code Flux} an {@code @Offload} method returning {@code Flux} gives
	 * its caller: each subscription runs the rest of the invocation on the site's
	 * executor and drains the publisher it returns on the worker.
	 * @param site the method's call site
	 * @param invocation the intercepted invocation, not yet proceeded
	 * @return a lazy {@code Flux}
	 */
	public static Flux<Object> flux(OffloadCallSite site, MethodInvocation invocation) {
		return new CallFlux<>(site, (context) -> proceeding(copy(invocation)));
	}

	/**
	 * Returns the {@code Mono} that Spring's coroutine support awaits for a Kotlin
	 * {@code suspend} function: as {@link #mono}, with the function's coroutine started
	 * on the worker (see {@link SuspendingInvocations}).
	 * @param site the function's call site
	 * @param invocation the intercepted invocation, not yet proceeded
	 * @return a lazy {@code Mono}
	 */
	public static Mono<Object> suspending(OffloadCallSite site, MethodInvocation invocation) {
		return new CallMono<>(site, (context) -> proceeding(SuspendingInvocations.onWorker(copy(invocation))), true);
	}

	/**
	 * Returns a {@code Mono} whose every subscription runs the task on the site's
	 * executor and signals its value ({@code null} for empty).
	 * @param <T> the type of the value
	 * @param site the call site, of kind {@code CALLABLE}
	 * @param task the task
	 * @return a lazy {@code Mono}
	 */
	public static <T> Mono<T> mono(OffloadCallSite site, Callable<? extends T> task) {
		return new CallMono<>(site, (context) -> task, false);
	}

	/**
	 * Returns a {@code Mono} of the future that {@code futures} makes at each
	 * subscription; cancelling the subscription cancels the future with
	 * {@code cancel(true)}.
	 * @param <T> the type of the value
	 * @param futures makes the future, on the subscribing thread
	 * @return a lazy {@code Mono}
	 */
	public static <T> Mono<T> fromFuture(Supplier<? extends CompletableFuture<? extends T>> futures) {
		return new FutureMono<>(futures);
	}

	/**
	 * Returns a body that proceeds with the invocation; what it throws is thrown as it
	 * is.
	 */
	private static Callable<?> proceeding(MethodInvocation invocation) {
		return () -> {
			try {
				return invocation.proceed();
			}
			catch (Throwable ex) {
				throw Throwables.<Exception>sneaky(ex);
			}
		};
	}

	/**
	 * Returns an invocation that can proceed once more: one per subscription.
	 */
	private static MethodInvocation copy(MethodInvocation invocation) {
		return (invocation instanceof ProxyMethodInvocation proxyInvocation) ? proxyInvocation.invocableClone()
				: invocation;
	}

}
