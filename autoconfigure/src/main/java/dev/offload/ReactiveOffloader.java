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

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link Offloader} for code on an event loop (a WebFlux handler, a Kotlin
 * coroutine): offloads code you cannot annotate onto the same executors, and hands back a
 * lazy {@code Mono} or {@code Flux}, as an {@code @Offload} method returning one does.
 * <p>
 * A bean of this type is available when Reactor is on the classpath (a separate
 * interface, so that the {@code Offloader} works without Reactor). Nothing is submitted
 * until the result is subscribed to; each subscription is one call, with the context of
 * the subscribing thread (and, with automatic context propagation, of the Reactor
 * {@code Context}); cancelling the subscription drops a queued call and interrupts a
 * running one; a saturated executor, a timeout and shutdown are error signals, never a
 * blocked subscriber.
 *
 * <pre class="code">
 * Mono&lt;Quote&gt; quote = reactiveOffloader.executor("legacy").mono(() -&gt; legacyClient.quote(id));
 * </pre>
 *
 * In Kotlin, {@code reactiveOffloader.executor("jdbc").mono { dao.load(id)
 * }.awaitSingle()} (kotlinx-coroutines-reactor) awaits a blocking call from a coroutine,
 * and the coroutine's cancellation interrupts it.
 *
 * @since 0.1.0
 */
public interface ReactiveOffloader {

	/**
	 * Returns a {@code Mono} whose every subscription runs the task on this offloader's
	 * executor and signals its value, or completes empty if it returns {@code null}.
	 * @param <T> the type of the value
	 * @param task the blocking task
	 * @return a lazy {@code Mono}
	 */
	<T> Mono<T> mono(Callable<? extends @Nullable T> task);

	/**
	 * Returns a {@code Mono} whose every subscription runs the task on this offloader's
	 * executor and completes when it has run.
	 * @param task the blocking task
	 * @return a lazy {@code Mono}
	 */
	Mono<Void> run(Runnable task);

	/**
	 * Returns a {@code Flux} whose every subscription calls {@code source} on this
	 * offloader's executor and drains the publisher it returns there (a blocking
	 * {@code Flux.fromIterable(cursor)} is read on the worker, at the subscriber's
	 * demand); the call is running until the publisher completes.
	 * @param <T> the type of the elements
	 * @param source makes the publisher, on the worker
	 * @return a lazy {@code Flux}
	 */
	<T> Flux<T> flux(Callable<? extends Publisher<? extends T>> source);

	/**
	 * Returns the same API bound to the named executor.
	 * @param name the executor's name, as configured under {@code offload.executors}
	 * @return a reactive offloader for that executor
	 * @throws IllegalArgumentException if no executor of that name is configured
	 */
	ReactiveOffloader executor(String name);

	/**
	 * Returns the same API with a timeout for every call, counted from the subscription
	 * (queue time included); it replaces the executor's {@code timeout}.
	 * @param timeout a positive duration
	 * @return a reactive offloader whose calls time out after {@code timeout}
	 */
	ReactiveOffloader timeout(Duration timeout);

	/**
	 * Returns the scope's {@link OffloadScope#join()} as a {@code Mono}, made at each
	 * subscription: it completes when the group has succeeded, or signals its failure;
	 * cancelling the subscription cancels the group.
	 * @param scope the scope
	 * @return a {@code Mono} of the group
	 */
	Mono<Void> join(OffloadScope scope);

	/**
	 * Returns the scope's {@link OffloadScope#join(Supplier)} as a {@code Mono}, made at
	 * each subscription: it signals {@code result}'s value once the group has succeeded,
	 * or the group's failure; cancelling the subscription cancels the group.
	 * @param <R> the type of the result
	 * @param scope the scope
	 * @param result makes the result from the members
	 * @return a {@code Mono} of the result
	 */
	<R> Mono<R> join(OffloadScope scope, Supplier<? extends R> result);

}
