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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Runs the annotated bean method on a named offload executor and hands the caller a
 * future at once, so the calling thread never blocks on the body.
 * <p>
 * Supported return types are {@code CompletableFuture<T>}, {@code CompletionStage<T>},
 * {@code Future<T>} and {@code void}. The body returns its value as
 * {@code CompletableFuture.completedFuture(value)}; the caller receives a different
 * future that completes with the body's outcome. An exception thrown by the body
 * completes that future exceptionally with the same exception instance. A {@code void}
 * method is fire-and-forget: its failure is logged with the method's name.
 * <p>
 * On a type, {@code @Offload} covers the public instance methods of the bean's class,
 * those it declares and those it inherits from its superclasses (not {@link Object}'s),
 * wherever the annotation sits in the class's hierarchy. A method declared by an
 * interface and not overridden by the class (a default method such as
 * {@code ApplicationListener.supportsAsyncExecution()}) is covered only by an
 * {@code @Offload} on that interface or one it extends; for a bean that is itself a JDK
 * proxy, that is how its interface methods are covered. An annotation on a method takes
 * precedence over the one on its type, and an annotation meta-annotated with
 * {@code @Offload} works like {@code @Offload}. Other advice on the same method
 * ({@code @Transactional}, {@code @Cacheable}, ...) runs on the worker thread, inside the
 * offloaded call.
 * <p>
 * An {@code @Offload} method must be one that the bean's proxy intercepts, or the
 * application fails to start: with a class-based (CGLIB) proxy, Spring Boot's default,
 * any instance method that is not private or final (a package-private one only when it is
 * declared in the package of the bean's class); with an interface-based (JDK) proxy, a
 * method of a proxied interface (there, a type-level {@code @Offload} leaves the class's
 * other methods alone: callers cannot reach them through the proxy). A method that is
 * also {@code @Async} (on the method or on its type) fails the startup too: that would be
 * two executors for one body.
 * <p>
 * Not supported: calls from within the same bean ({@code this.method()}) are not
 * intercepted and run on the caller thread.
 *
 * @since 0.1.0
 * @see Offloader
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Offload {

	/**
	 * Alias for {@link #executor()}.
	 * @return the name of the executor
	 */
	@AliasFor("executor")
	String value() default "";

	/**
	 * The name of the offload executor, as configured under {@code offload.executors}.
	 * Empty means {@code offload.default-executor}. Placeholders such as
	 * {@code ${app.executor}} are resolved.
	 * @return the name of the executor
	 */
	@AliasFor("value")
	String executor() default "";

	/**
	 * How long the call may take, counted from the call (queue time included), such as
	 * {@code 500ms} or {@code 2s}. When it elapses the caller's future completes with a
	 * {@link java.util.concurrent.TimeoutException} and the body is interrupted. Empty
	 * means the executor's {@code timeout}. Placeholders such as {@code ${app.timeout}}
	 * are resolved.
	 * @return the timeout as a duration string
	 */
	String timeout() default "";

}
