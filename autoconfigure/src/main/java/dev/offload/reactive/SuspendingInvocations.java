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

import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Dispatchers;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * Starts a Kotlin {@code suspend} function's coroutine on the worker that runs its call.
 * <p>
 * Spring's coroutine support (its AOP proxies and {@code AopUtils}) turns the call into a
 * {@code Mono} that runs the function in a coroutine with the caller's coroutine context
 * (minus its {@code Job}), the caller's dispatcher included: subscribed on the worker,
 * the body would still be dispatched to the caller's threads. So the continuation the
 * invocation carries, whose context Spring reads, is replaced by one whose context has
 * {@code Dispatchers.Unconfined} instead of the caller's dispatcher: the coroutine starts
 * on the subscribing thread, the worker, and a blocking body stays there. The other
 * elements of the caller's context are kept.
 */
final class SuspendingInvocations {

	private SuspendingInvocations() {
	}

	/**
	 * Makes the invocation start its coroutine on the thread that proceeds with it.
	 * @param invocation an invocation of a suspend function, that can proceed once
	 * @return the invocation
	 */
	static MethodInvocation onWorker(MethodInvocation invocation) {
		@Nullable Object[] arguments = invocation.getArguments();
		int last = arguments.length - 1;
		if (last >= 0 && arguments[last] instanceof Continuation<?> continuation) {
			@Nullable Object[] adapted = arguments.clone();
			adapted[last] = new UnconfinedContinuation<>(continuation);
			if (invocation instanceof ProxyMethodInvocation proxyInvocation) {
				proxyInvocation.setArguments(adapted);
			}
			else {
				arguments[last] = adapted[last];
			}
		}
		return invocation;
	}

	/**
	 * The caller's continuation, seen with an unconfined dispatcher.
	 */
	private static final class UnconfinedContinuation<T> implements Continuation<T> {

		private final Continuation<T> delegate;

		private final CoroutineContext context;

		UnconfinedContinuation(Continuation<T> delegate) {
			this.delegate = delegate;
			this.context = delegate.getContext()
				.minusKey(ContinuationInterceptor.Key)
				.plus(Dispatchers.getUnconfined());
		}

		@Override
		public CoroutineContext getContext() {
			return this.context;
		}

		@Override
		public void resumeWith(Object result) {
			this.delegate.resumeWith(result);
		}

	}

}
