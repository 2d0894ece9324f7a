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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A structured group of offloaded calls (a fan-out) with one outcome and one deadline:
 * Python's {@code asyncio.TaskGroup} on Offload's executors. Open one with
 * {@link Offloader#scope(Duration)}.
 *
 * <pre class="code">
 * OffloadScope scope = offloader.scope(Duration.ofMillis(800));
 * Member&lt;List&lt;Product&gt;&gt; stock = scope.fork(catalog::lowStock);          // an &#64;Offload method
 * Member&lt;Quote&gt; quote = scope.call("legacy", () -&gt; legacyClient.quote(id));  // code you don't own
 * return scope.join(() -&gt; new Page(stock.get(), quote.get()));               // non-blocking
 * </pre>
 * <ul>
 * <li><b>Fails fast</b> ({@link Policy#FAIL_FAST}, the default): the first member that
 * fails completes the group with its exception, and every other member is cancelled at
 * once: a running body is interrupted, a queued call never runs. Failures of other
 * members that completed by then are attached to it as suppressed exceptions.</li>
 * <li><b>One deadline</b>: when it elapses, every unfinished member is cancelled and the
 * group fails with a {@link java.util.concurrent.TimeoutException} that names them. A
 * scope opened where a deadline is already in force (in the body of a call with a
 * timeout, or inside another scope's {@code fork}) has at most the time left.</li>
 * <li><b>Structured</b>: cancelling the group's future cancels every member; when the
 * group completes, every call it started is complete (and, if it was still running,
 * interrupted); a member added after the group completed is cancelled at once and never
 * runs.</li>
 * <li>Calls made inside {@link #fork} inherit the group's deadline: their timeout is at
 * most the time left, and so is that of every call their bodies make.</li>
 * <li>{@link Policy#COLLECT_ALL} collects every outcome instead of failing fast (Python's
 * {@code gather(..., return_exceptions=True)}): the group completes normally once every
 * member has, or at its deadline with the unfinished ones cancelled; read each
 * {@link Member}.</li>
 * </ul>
 * Members cancelled by the group count as {@code cancelled} in the {@code offload.calls}
 * meter. A scope is cheap, and is meant for one fan-out: open one per request.
 * <p>
 * Not supported: {@code Future} that is not a {@link CompletionStage} as a member (an
 * {@code @Offload} method declared to return {@code Future} does return a
 * {@code CompletableFuture}); cancelling the calls that a member's body makes itself
 * (open a scope in that body for that).
 *
 * @since 0.1.0
 */
public interface OffloadScope extends AutoCloseable {

	/**
	 * Adds a member: runs {@code call} on the current thread, which makes one or more
	 * offloaded calls ({@code @Offload} methods, the {@link Offloader}) and returns their
	 * future. The calls made inside it belong to the group: they inherit its deadline,
	 * and the group cancels them when it fails or is cancelled.
	 * <p>
	 * If the group has already completed, {@code call} is not run and the member is
	 * cancelled at once, with a message that says why.
	 * <p>
	 * {@code call} is a {@link Callable} so that a method reference to an
	 * {@code @Offload} method that declares checked exceptions fits; what it throws fails
	 * the member.
	 * @param <T> the type of the result
	 * @param call makes the offloaded call and returns its future, e.g.
	 * {@code service::load}
	 * @return the member, to read its result once the group has completed
	 */
	<T> Member<T> fork(Callable<? extends CompletionStage<T>> call);

	/**
	 * Adds a member for a call that was made already, e.g. the future of an
	 * {@code @Offload} method. Unlike {@link #fork}, the call does not inherit the
	 * group's deadline (the group still cancels it when the deadline elapses). If the
	 * group has already completed, the future is cancelled at once.
	 * @param <T> the type of the result
	 * @param call the future of the call
	 * @return the member
	 */
	<T> Member<T> add(CompletionStage<T> call);

	/**
	 * Adds a member that runs {@code task} on the executor of the {@link Offloader} that
	 * opened this scope.
	 * @param <T> the type of the result
	 * @param task the blocking task
	 * @return the member
	 */
	<T> Member<T> call(Callable<T> task);

	/**
	 * Adds a member that runs {@code task} on the named executor.
	 * @param <T> the type of the result
	 * @param executor the executor's name, as configured under {@code offload.executors}
	 * @param task the blocking task
	 * @return the member
	 * @throws IllegalArgumentException if no executor of that name is configured
	 */
	<T> Member<T> call(String executor, Callable<T> task);

	/**
	 * Returns the group's future, which completes when every member added so far, and
	 * every member added meanwhile, has succeeded; or with the first failure, the
	 * deadline's {@link java.util.concurrent.TimeoutException}, or a
	 * {@link CancellationException}. Cancelling it (or completing it, as
	 * {@code orTimeout} does) cancels every unfinished member. Never blocks.
	 * @return the group's future
	 */
	CompletableFuture<Void> join();

	/**
	 * Like {@link #join()}, but completes with {@code result}'s value, computed once the
	 * group has succeeded (on the thread that completes the last member; keep it cheap,
	 * typically reading the members). Cancelling the returned future cancels the group.
	 * @param <R> the type of the result
	 * @param result makes the result from the members
	 * @return a future of the result
	 */
	<R> CompletableFuture<R> join(Supplier<? extends R> result);

	/**
	 * Waits for the group, blocking the current thread: a convenience for plain code. An
	 * interrupt of the waiting thread cancels the group.
	 * @throws ExecutionException with the group's failure as its cause
	 * @throws CancellationException if the group was cancelled
	 * @throws InterruptedException if the waiting thread was interrupted
	 */
	void await() throws InterruptedException, ExecutionException;

	/**
	 * Cancels the group and every unfinished member, unless it has completed already.
	 * @return whether this call cancelled it
	 */
	boolean cancel();

	/**
	 * Cancels every unfinished member, unless the group has completed: leaving a
	 * try-with-resources block leaves nothing running. Does not wait for interrupted
	 * bodies to return; see {@link #released()}.
	 */
	@Override
	void close();

	/**
	 * Returns a future that completes once the group has completed and no offloaded call
	 * it started holds a thread any more: every body has returned (an interrupted one
	 * once its interrupt has landed) or never ran.
	 * @return a future that completes when the group's threads are released
	 */
	CompletableFuture<Void> released();

	/**
	 * Returns the members, in the order they were added.
	 * @return a snapshot of the members
	 */
	List<Member<?>> members();

	/**
	 * Returns how the group treats a member's failure.
	 * @return the policy
	 */
	Policy getPolicy();

	/**
	 * Returns how long the group had when it was opened: its own deadline, or the shorter
	 * time left of a deadline in force where it was opened.
	 * @return the deadline, or {@code null} if the group has none
	 */
	@Nullable Duration getDeadline();

	/**
	 * How a group treats a member's failure.
	 */
	enum Policy {

		/**
		 * The first failure completes the group and cancels every other member.
		 */
		FAIL_FAST,

		/**
		 * Every member runs to its own end (or the deadline); the group completes
		 * normally and each member keeps its outcome.
		 */
		COLLECT_ALL

	}

	/**
	 * One member of a group: a handle to its outcome, typed by its result.
	 *
	 * @param <T> the type of the result
	 */
	interface Member<T> {

		/**
		 * Returns how the member is named in messages: its position and its call, e.g.
		 * {@code #2 CatalogService.lowStock() on executor 'jdbc'}.
		 * @return the name
		 */
		String name();

		/**
		 * Returns the member's state now.
		 * @return the state
		 */
		State state();

		/**
		 * Returns the member's result.
		 * @return the result
		 * @throws IllegalStateException if the member has not succeeded (yet)
		 */
		T get();

		/**
		 * Returns why the member did not succeed.
		 * @return its exception (a {@link CancellationException} that says why, if the
		 * group cancelled it), or {@code null} if it is running or succeeded
		 */
		@Nullable Throwable exception();

		/**
		 * Returns the member's future. Cancelling it cancels the member only, which fails
		 * a {@link Policy#FAIL_FAST} group.
		 * @return the future
		 */
		CompletableFuture<T> future();

		/**
		 * Returns how long the member's offloaded call held a worker thread: from the
		 * moment a worker took it until its body returned, so far if it is still running;
		 * zero if it never ran (or is not an Offload call).
		 * @return the time its body held a thread
		 */
		Duration heldThread();

		/**
		 * The state of a member.
		 */
		enum State {

			/** Not complete yet. */
			RUNNING,

			/** Completed with a result. */
			SUCCEEDED,

			/** Completed with an exception of its own. */
			FAILED,

			/** Cancelled: by the group (see its exception's message) or by its caller. */
			CANCELLED

		}

	}

}
