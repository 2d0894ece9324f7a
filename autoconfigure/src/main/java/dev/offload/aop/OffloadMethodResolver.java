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
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

import dev.offload.Offload;
import dev.offload.OffloadConfigurationException;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadCallSite.TaskKind;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;

/**
 * Finds the {@link Offload @Offload} annotation that applies to a method, checks it, and
 * turns it into an {@link OffloadCallSite}: once per method and target class, at startup
 * for every bean, so that a call does no annotation lookup, placeholder resolution or
 * parsing. The checks of the proxy against its {@code @Offload} methods are
 * {@link ProxiedMethodChecks}.
 */
final class OffloadMethodResolver {

	private final Supplier<OffloadExecutors> executors;

	private final UnaryOperator<String> valueResolver;

	private final Map<Method, Entry> sites = new ConcurrentHashMap<>();

	private final Map<MethodClassKey, OffloadCallSite> sitesByClass = new ConcurrentHashMap<>();

	OffloadMethodResolver(Supplier<OffloadExecutors> executors, UnaryOperator<String> valueResolver) {
		this.executors = executors;
		this.valueResolver = valueResolver;
	}

	/**
	 * Returns the annotation that applies to the method when called on the target class:
	 * the method's own (or the one it overrides or implements), else a type-level one. A
	 * type-level {@code @Offload} covers a public instance method declared by a class
	 * when it is found on the target class (or a superclass or interface of it), and a
	 * method declared by an interface (a default method the class does not override, or
	 * any method of a JDK proxy) only when it is found on that interface (or one it
	 * extends).
	 */
	static @Nullable Offload findAnnotation(Method method, Class<?> targetClass) {
		Method specificMethod = specificMethod(method, targetClass);
		Offload offload = AnnotatedElementUtils.findMergedAnnotation(specificMethod, Offload.class);
		if (offload == null && specificMethod != method) {
			offload = AnnotatedElementUtils.findMergedAnnotation(method, Offload.class);
		}
		if (offload == null && isOffloadedByType(specificMethod)) {
			Class<?> declaringClass = specificMethod.getDeclaringClass();
			offload = AnnotatedElementUtils
				.findMergedAnnotation(declaringClass.isInterface() ? declaringClass : targetClass, Offload.class);
		}
		return offload;
	}

	/**
	 * Returns the method that runs when the given one is called on an instance of the
	 * target class. A JDK proxy class's own methods are final and carry no annotations:
	 * for it, the interface method is the one that counts.
	 */
	static Method specificMethod(Method method, Class<?> targetClass) {
		return Proxy.isProxyClass(targetClass) ? method : AopUtils.getMostSpecificMethod(method, targetClass);
	}

	private static boolean isOffloadedByType(Method method) {
		int modifiers = method.getModifiers();
		return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !method.isSynthetic()
				&& !ReflectionUtils.isObjectMethod(method) && !AopUtils.isEqualsMethod(method)
				&& !AopUtils.isHashCodeMethod(method) && !AopUtils.isToStringMethod(method);
	}

	/**
	 * Returns the call site of an intercepted call; a map lookup after the first call.
	 * The target class is the one {@link #validate} saw: the target's, or the proxy's own
	 * for a proxy without a target.
	 */
	OffloadCallSite getCallSite(MethodInvocation invocation) {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? target.getClass()
				: (invocation instanceof ProxyMethodInvocation proxyInvocation) ? proxyInvocation.getProxy().getClass()
						: method.getDeclaringClass();
		Entry entry = this.sites.get(method);
		if (entry != null && entry.targetClass == targetClass) {
			return entry.site;
		}
		return getCallSite(method, targetClass);
	}

	OffloadCallSite getCallSite(Method method, Class<?> targetClass) {
		OffloadCallSite site = this.sitesByClass.computeIfAbsent(new MethodClassKey(method, targetClass),
				(key) -> resolve(method, targetClass));
		this.sites.putIfAbsent(method, new Entry(targetClass, site));
		return site;
	}

	/**
	 * Checks every method the advisor applies to on a proxied bean, against the proxy
	 * that was actually created, so that misuse stops the application at startup instead
	 * of surfacing at the first call (or never: a method the proxy cannot intercept runs
	 * on the caller thread).
	 * @param targetClass the class of the proxy's target (the proxy's own class for a
	 * proxy without a target)
	 * @param proxiedInterfaces the interfaces of an interface-based (JDK) proxy, or
	 * {@code null} for a class-based (CGLIB) proxy
	 * @throws OffloadConfigurationException for the first misuse found
	 */
	void validate(Class<?> targetClass, Class<?> @Nullable [] proxiedInterfaces) {
		Map<Method, Offload> offloaded = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Offload>) (method) -> findAnnotation(method, targetClass));
		Map<Method, Method> exposed = (proxiedInterfaces != null)
				? ProxiedMethodChecks.exposedMethods(proxiedInterfaces, targetClass, offloaded.keySet()) : Map.of();
		for (Method method : offloaded.keySet()) {
			if ((proxiedInterfaces != null)
					? ProxiedMethodChecks.isExposed(method, targetClass, proxiedInterfaces, exposed.values())
					: ProxiedMethodChecks.isOverridable(method, targetClass)) {
				ProxiedMethodChecks.checkNotAsync(method, targetClass);
				getCallSite(method, targetClass);
			}
		}
		exposed.keySet().forEach((method) -> getCallSite(method, targetClass));
	}

	private OffloadCallSite resolve(Method method, Class<?> targetClass) {
		Method specificMethod = specificMethod(method, targetClass);
		String description = describe(specificMethod);
		Offload offload = findAnnotation(method, targetClass);
		if (offload == null) {
			throw new IllegalStateException("No @Offload on " + description);
		}
		Class<?> returnType = specificMethod.getReturnType();
		if (returnType != CompletableFuture.class && returnType != CompletionStage.class && returnType != Future.class
				&& returnType != void.class) {
			throw OffloadConfigurationException.unsupportedReturnType(description,
					specificMethod.getGenericReturnType().getTypeName().replaceAll("[\\w$]+\\.", ""));
		}
		OffloadExecutors executors = this.executors.get();
		String executorName = this.valueResolver.apply(offload.executor());
		OffloadExecutor executor = StringUtils.hasText(executorName) ? executors.find(executorName)
				: executors.getDefaultExecutor();
		if (executor == null) {
			throw OffloadConfigurationException.unknownExecutor(description, executorName, executors.getNames());
		}
		long timeoutNanos = executor.getTimeoutNanos();
		String timeout = this.valueResolver.apply(offload.timeout());
		if (StringUtils.hasText(timeout)) {
			timeoutNanos = parseTimeout(description, timeout.trim());
		}
		return new OffloadCallSite(executor, timeoutNanos, specificMethod.getDeclaringClass().getName(),
				specificMethod.getName(), description, returnType == void.class, TaskKind.INVOCATION);
	}

	private static long parseTimeout(String description, String timeout) {
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(timeout);
		}
		catch (IllegalArgumentException ex) {
			throw OffloadConfigurationException.invalidTimeout(description, timeout);
		}
		if (duration.isNegative() || duration.isZero()) {
			throw OffloadConfigurationException.invalidTimeout(description, timeout);
		}
		return duration.toNanos();
	}

	/**
	 * Names a method as {@code com.example.Foo.bar(String, int)}.
	 */
	static String describe(Method method) {
		return ClassUtils.getQualifiedMethodName(method) + Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", ", "(", ")"));
	}

	private record Entry(Class<?> targetClass, OffloadCallSite site) {
	}

}
