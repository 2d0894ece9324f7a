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

package dev.offload;

import java.util.Collection;

/**
 * Thrown at startup when {@link Offload @Offload} is misused or an {@code offload.*}
 * setting is invalid. It carries what is wrong and what to do about it; Spring Boot
 * prints both as a failure analysis.
 *
 * @since 0.1.0
 */
public class OffloadConfigurationException extends RuntimeException {

	/**
	 * What is wrong; also the message, kept here because {@code getMessage()} may be
	 * null.
	 */
	private final String description;

	/**
	 * What to do about it.
	 */
	private final String action;

	/**
	 * Creates a new exception.
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	public OffloadConfigurationException(String description, String action) {
		super(description);
		this.description = description;
		this.action = action;
	}

	/**
	 * Returns what is wrong.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Returns what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * Creates an exception for an {@code @Offload} method whose return type is not
	 * supported.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param returnType the simple name of its return type
	 * @return the exception
	 */
	public static OffloadConfigurationException unsupportedReturnType(String method, String returnType) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " returns " + returnType + ", but an offloaded method must return "
						+ "CompletableFuture<T>, CompletionStage<T>, Future<T> or void (with Reactor, also Mono<T> or "
						+ "Flux<T>): the caller gets a future at once and the value only when the body has run.",
				"Change the return type of " + method + " to CompletableFuture<T> and return "
						+ "CompletableFuture.completedFuture(value) from the body, or remove @Offload "
						+ "(on a type, @Offload offloads every public method: annotate methods one by one instead).");
	}

	/**
	 * Creates an exception for an {@code @Offload} method whose shape needs a library
	 * that is not on the classpath: a {@code Mono} or {@code Flux} without Reactor, a
	 * Kotlin {@code suspend} function without kotlinx-coroutines-reactor.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param shape what the method is, e.g. {@code "returns Mono<String>"}
	 * @param dependency the missing library, as {@code group:artifact}
	 * @param why what the library is needed for
	 * @return the exception
	 */
	public static OffloadConfigurationException missingDependency(String method, String shape, String dependency,
			String why) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " " + shape + ", which needs " + dependency + " on the classpath (" + why
						+ "), and it is missing.",
				"Add " + dependency + " to the application's dependencies, or change " + method
						+ " to return CompletableFuture<T>, or remove @Offload.");
	}

	/**
	 * Creates an exception for an {@code @Offload} method that the bean's proxy cannot
	 * intercept because of a modifier: no proxy intercepts a private or static method,
	 * and a class-based (CGLIB) proxy cannot override a final one.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param modifier {@code private}, {@code static} or {@code final}
	 * @return the exception
	 */
	public static OffloadConfigurationException notInterceptable(String method, String modifier) {
		if ("final".equals(modifier)) {
			return new OffloadConfigurationException(
					"@Offload method " + method
							+ " is final, so the class-based (CGLIB) proxy of its bean cannot override it: "
							+ "calls would bypass the proxy and run the body on the caller thread.",
					"Remove final from " + method + ", or remove @Offload.");
		}
		return new OffloadConfigurationException(
				"@Offload method " + method + " is " + modifier + ", so no proxy can intercept it: "
						+ "calls would run the body on the caller thread.",
				"Make " + method + " a public instance method (with Spring's class-based proxies, the default in "
						+ "Spring Boot, a protected or package-private one works too), or remove @Offload.");
	}

	/**
	 * Creates an exception for an {@code @Offload} method of a bean proxied through its
	 * interfaces (a JDK dynamic proxy) that none of those interfaces declares.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param interfaces the names of the interfaces the proxy implements
	 * @return the exception
	 */
	public static OffloadConfigurationException notOnProxiedInterface(String method, Collection<String> interfaces) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " is declared on none of the interfaces its bean is proxied through ("
						+ String.join(", ", interfaces)
						+ "): an interface-based (JDK dynamic) proxy intercepts only their methods, "
						+ "so calls would run the body on the caller thread.",
				"Declare " + method + " on one of those interfaces, or have the bean proxied by class "
						+ "(spring.aop.proxy-target-class=true, the default in Spring Boot), or remove @Offload.");
	}

	/**
	 * Creates an exception for a package-private {@code @Offload} method declared in
	 * another runtime package than its bean's class, where the class-based (CGLIB) proxy
	 * is defined and from where it cannot override the method.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param beanClass the name of the bean's class
	 * @return the exception
	 */
	public static OffloadConfigurationException notVisibleToProxy(String method, String beanClass) {
		return new OffloadConfigurationException(
				"@Offload method " + method
						+ " is package-private and declared outside the package of its bean's class " + beanClass
						+ ", so the class-based (CGLIB) proxy, a subclass in that package, cannot override it: "
						+ "calls would bypass the proxy and run the body on the caller thread.",
				"Make " + method + " public or protected, or remove @Offload.");
	}

	/**
	 * Creates an exception for an {@code @Offload} method that Spring's {@code @Async}
	 * applies to as well.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param asyncOn the method or type that carries {@code @Async}
	 * @return the exception
	 */
	public static OffloadConfigurationException offloadedAndAsync(String method, String asyncOn) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " is also @Async"
						+ (asyncOn.equals(method) ? "" : " (@Async on " + asyncOn + ")")
						+ ": two executors for one body, so it would run on neither as intended "
						+ "(@Offload's timeout and cancellation would act on the wrong thread).",
				"Keep one of the two: remove @Async from " + asyncOn + ", or remove @Offload from " + method
						+ " (on a type, @Offload offloads every public method: annotate methods one by one instead).");
	}

	/**
	 * Creates an exception for an {@code @Offload} method that names an executor that
	 * does not exist.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param executor the name it uses
	 * @param configured the names of the configured executors
	 * @return the exception
	 */
	public static OffloadConfigurationException unknownExecutor(String method, String executor,
			Collection<String> configured) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " names executor '" + executor + "', which is not configured. "
						+ "Configured executors: " + String.join(", ", configured) + ".",
				"Configure it under offload.executors." + executor + " (an empty entry gets the defaults), "
						+ "or name one of: " + String.join(", ", configured) + ".");
	}

	/**
	 * Creates an exception for an {@code @Offload} timeout that is not a positive
	 * duration.
	 * @param method the method, as {@code Class.method(Args)}
	 * @param timeout the timeout as written (placeholders resolved)
	 * @return the exception
	 */
	public static OffloadConfigurationException invalidTimeout(String method, String timeout) {
		return new OffloadConfigurationException(
				"@Offload method " + method + " has timeout '" + timeout + "', which is not a positive duration.",
				"Use a duration such as 500ms, 2s or PT1M (or a placeholder that resolves to one), "
						+ "or leave timeout empty to use the executor's timeout.");
	}

	/**
	 * Creates an exception for an invalid {@code offload.*} setting.
	 * @param key the full property key
	 * @param problem what is wrong with it
	 * @param action what to do about it
	 * @return the exception
	 */
	public static OffloadConfigurationException invalidProperty(String key, String problem, String action) {
		return new OffloadConfigurationException("Invalid offload setting '" + key + "': " + problem, action);
	}

}
