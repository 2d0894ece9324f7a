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

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;

import dev.offload.OffloadConfigurationException;
import dev.offload.executor.OffloadCallSite;
import dev.offload.reactive.ReactiveCalls;

/**
 * What an {@code @Offload} method gives its caller, resolved once per method: a future,
 * nothing ({@code void}), a lazy {@code Mono} or {@code Flux} (Reactor), or the result of
 * a Kotlin {@code suspend} function (Spring's coroutine support awaits a {@code Mono}).
 */
enum ReturnShape {

	/** {@code CompletableFuture}, {@code CompletionStage} or {@code Future}. */
	FUTURE {
		@Override
		@Nullable Object call(OffloadCallSite site, MethodInvocation invocation) {
			return site.submit(invocation);
		}
	},

	/** {@code void}: fire-and-forget. */
	VOID {
		@Override
		@Nullable Object call(OffloadCallSite site, MethodInvocation invocation) {
			site.submit(invocation);
			return null;
		}
	},

	/** {@code Mono}: one call per subscription. */
	MONO {
		@Override
		@Nullable Object call(OffloadCallSite site, MethodInvocation invocation) {
			return Reactive.mono(site, invocation);
		}
	},

	/** {@code Flux}: one call per subscription, draining the body's publisher. */
	FLUX {
		@Override
		@Nullable Object call(OffloadCallSite site, MethodInvocation invocation) {
			return Reactive.flux(site, invocation);
		}
	},

	/** A Kotlin {@code suspend} function. */
	SUSPENDING {
		@Override
		@Nullable Object call(OffloadCallSite site, MethodInvocation invocation) {
			return Reactive.suspending(site, invocation);
		}
	};

	static final String REACTOR = "io.projectreactor:reactor-core";

	static final String COROUTINES_REACTOR = "org.jetbrains.kotlinx:kotlinx-coroutines-reactor";

	private static final String MONO_CLASS = "reactor.core.publisher.Mono";

	private static final String FLUX_CLASS = "reactor.core.publisher.Flux";

	private static final String COROUTINES_REACTOR_CLASS = "kotlinx.coroutines.reactor.MonoKt";

	/**
	 * Makes the call and returns what the caller gets.
	 * @param site the method's call site
	 * @param invocation the intercepted invocation
	 * @return the future, {@code Mono} or {@code Flux}; {@code null} for {@code void}
	 */
	abstract @Nullable Object call(OffloadCallSite site, MethodInvocation invocation);

	/**
	 * Returns the shape of a method, or {@code null} if its return type is not supported.
	 * @param method the method
	 * @return the shape
	 */
	static @Nullable ReturnShape of(Method method) {
		if (KotlinDetector.isSuspendingFunction(method)) {
			return SUSPENDING;
		}
		Class<?> returnType = method.getReturnType();
		if (returnType == CompletableFuture.class || returnType == CompletionStage.class
				|| returnType == Future.class) {
			return FUTURE;
		}
		if (returnType == void.class) {
			return VOID;
		}
		String name = returnType.getName();
		return MONO_CLASS.equals(name) ? MONO : FLUX_CLASS.equals(name) ? FLUX : null;
	}

	/**
	 * Refuses a shape whose library is missing from the application's classpath.
	 * @param description the method, as {@code Class.method(Args)}
	 * @param returnType how its return type reads, e.g. {@code Mono<String>}
	 * @param classLoader the application's class loader
	 * @throws OffloadConfigurationException if a library is missing
	 */
	void checkAvailable(String description, String returnType, @Nullable ClassLoader classLoader) {
		if (this == MONO || this == FLUX) {
			if (!ClassUtils.isPresent(MONO_CLASS, classLoader)) {
				throw OffloadConfigurationException.missingDependency(description, "returns " + returnType, REACTOR,
						"Reactor gives the caller its lazy " + returnType.replaceAll("<.*", ""));
			}
		}
		else if (this == SUSPENDING) {
			if (!ClassUtils.isPresent(MONO_CLASS, classLoader)
					|| !ClassUtils.isPresent(COROUTINES_REACTOR_CLASS, classLoader)) {
				throw OffloadConfigurationException.missingDependency(description, "is a Kotlin suspend function",
						COROUTINES_REACTOR, "Spring's coroutine support in AOP awaits the offloaded call through it");
			}
		}
	}

	/**
	 * Reactor, only loaded for the shapes that need it.
	 */
	private static final class Reactive {

		static Object mono(OffloadCallSite site, MethodInvocation invocation) {
			return ReactiveCalls.mono(site, invocation);
		}

		static Object flux(OffloadCallSite site, MethodInvocation invocation) {
			return ReactiveCalls.flux(site, invocation);
		}

		static Object suspending(OffloadCallSite site, MethodInvocation invocation) {
			return ReactiveCalls.suspending(site, invocation);
		}

	}

}
