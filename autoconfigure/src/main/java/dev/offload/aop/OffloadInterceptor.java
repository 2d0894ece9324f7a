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

package dev.offload.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Submits the rest of the invocation (the method and any advice after this one) to the
 * method's executor and returns the caller's future at once ({@code null} for
 * {@code void}); for a {@code Mono}, a {@code Flux} or a Kotlin {@code suspend} function,
 * a lazy publisher whose every subscription does so.
 */
final class OffloadInterceptor implements MethodInterceptor {

	private final OffloadMethodResolver resolver;

	OffloadInterceptor(OffloadMethodResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) {
		OffloadMethodResolver.Resolved resolved = this.resolver.getCallSite(invocation);
		return resolved.shape().call(resolved.site(), invocation);
	}

}
