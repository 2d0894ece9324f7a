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
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.scheduling.annotation.Async;
import org.springframework.util.ClassUtils;

import dev.offload.Offload;
import dev.offload.OffloadConfigurationException;

/**
 * The startup checks of {@link OffloadMethodResolver#validate}: whether the proxy that
 * was created can intercept each {@code @Offload} method, and that {@code @Async} does
 * not apply to it as well. Each check throws an {@link OffloadConfigurationException}
 * naming the method.
 */
final class ProxiedMethodChecks {

	private ProxiedMethodChecks() {
	}

	/**
	 * Maps each method of the proxied interfaces that runs an offloaded method to that
	 * method.
	 */
	static Map<Method, Method> exposedMethods(Class<?>[] proxiedInterfaces, Class<?> targetClass,
			Set<Method> offloaded) {
		Map<Method, Method> exposed = new LinkedHashMap<>();
		for (Class<?> proxiedInterface : proxiedInterfaces) {
			for (Method method : proxiedInterface.getMethods()) {
				Method specificMethod = OffloadMethodResolver.specificMethod(method, targetClass);
				if (offloaded.contains(specificMethod)) {
					exposed.put(method, specificMethod);
				}
			}
		}
		return exposed;
	}

	/**
	 * Whether an interface-based (JDK) proxy intercepts the method: only through a
	 * proxied interface. Refuses an {@code @Offload} method it never intercepts; returns
	 * {@code false} for one that only a type-level {@code @Offload} covers, since callers
	 * cannot reach it through the proxy.
	 */
	static boolean isExposed(Method method, Class<?> targetClass, Class<?>[] proxiedInterfaces,
			Collection<Method> exposed) {
		checkInstanceMethod(method);
		if (exposed.contains(method)) {
			return true;
		}
		if (!hasMethodAnnotation(method, targetClass)) {
			return false;
		}
		throw OffloadConfigurationException.notOnProxiedInterface(OffloadMethodResolver.describe(method),
				Arrays.stream(proxiedInterfaces).map(Class::getName).toList());
	}

	/**
	 * Whether a class-based (CGLIB) proxy, a subclass of the target class in its package,
	 * can override the method; refuses it otherwise.
	 */
	static boolean isOverridable(Method method, Class<?> targetClass) {
		checkInstanceMethod(method);
		int modifiers = method.getModifiers();
		if (Modifier.isFinal(modifiers)) {
			throw OffloadConfigurationException.notInterceptable(OffloadMethodResolver.describe(method), "final");
		}
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		Class<?> declaringClass = method.getDeclaringClass();
		if (!Modifier.isPublic(modifiers) && !Modifier.isProtected(modifiers)
				&& (!declaringClass.getPackageName().equals(userClass.getPackageName())
						|| declaringClass.getClassLoader() != userClass.getClassLoader())) {
			throw OffloadConfigurationException.notVisibleToProxy(OffloadMethodResolver.describe(method),
					userClass.getName());
		}
		return true;
	}

	private static void checkInstanceMethod(Method method) {
		int modifiers = method.getModifiers();
		if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers)) {
			throw OffloadConfigurationException.notInterceptable(OffloadMethodResolver.describe(method),
					Modifier.isPrivate(modifiers) ? "private" : "static");
		}
	}

	private static boolean hasMethodAnnotation(Method method, Class<?> targetClass) {
		return AnnotatedElementUtils.hasAnnotation(method, Offload.class) || AnnotatedElementUtils
			.hasAnnotation(OffloadMethodResolver.specificMethod(method, targetClass), Offload.class);
	}

	/**
	 * Refuses a method that Spring's {@code @Async} advisor applies to as well: it
	 * matches {@code @Async} (or an annotation meta-annotated with it) on the method, a
	 * method it overrides or implements, or the target class and its supertypes, whether
	 * {@code @EnableAsync} is on or not.
	 */
	static void checkNotAsync(Method method, Class<?> targetClass) {
		MergedAnnotation<Async> async = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).get(Async.class);
		if (!async.isPresent()) {
			async = MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY).get(Async.class);
		}
		if (async.isPresent()) {
			Object source = async.getSource();
			String asyncOn = (source instanceof Method asyncMethod) ? OffloadMethodResolver.describe(asyncMethod)
					: (source instanceof Class<?> asyncClass) ? asyncClass.getName() : String.valueOf(source);
			throw OffloadConfigurationException.offloadedAndAsync(OffloadMethodResolver.describe(method), asyncOn);
		}
	}

}
