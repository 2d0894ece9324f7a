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
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Offloads code you cannot annotate (a third-party client, a blocking library call) onto
 * the same executors as {@link Offload @Offload}, with the same timeouts, cancellation,
 * rejection and context propagation: the Spring counterpart of Python's
 * {@code asyncio.to_thread}.
 * <p>
 * A bean of this type is always available. Every method returns at once; the task runs on
 * a worker thread. Cancelling the returned future with {@code cancel(true)} interrupts
 * the task if it is running and removes it from the queue if it is not.
 *
 * <pre class="code">
 * CompletableFuture&lt;byte[]&gt; bytes = offloader.executor("files").call(() -&gt; Files.readAllBytes(path));
 * </pre>
 *
 * @since 0.1.0
 */
public interface Offloader {

	/**
	 * Runs the task on this offloader's executor.
	 * @param <T> the type of the result
	 * @param task the blocking task
	 * @return a future that completes with the task's result or exception
	 */
	<T> CompletableFuture<T> call(Callable<T> task);

	/**
	 * Runs the task on this offloader's executor.
	 * @param task the blocking task
	 * @return a future that completes when the task has run
	 */
	CompletableFuture<Void> run(Runnable task);

	/**
	 * Returns the same API bound to the named executor.
	 * @param name the executor's name, as configured under {@code offload.executors}
	 * @return an offloader for that executor
	 * @throws IllegalArgumentException if no executor of that name is configured
	 */
	Offloader executor(String name);

	/**
	 * Returns the same API with a timeout for every call, counted from the call (queue
	 * time included); it replaces the executor's {@code timeout}.
	 * @param timeout a positive duration
	 * @return an offloader whose calls time out after {@code timeout}
	 */
	Offloader timeout(Duration timeout);

	/**
	 * Opens a structured group of calls that fails fast and has no deadline of its own
	 * (it has the time left of a deadline in force where it is opened, if any); see
	 * {@link OffloadScope}.
	 * @return a new scope; its {@link OffloadScope#call(Callable)} members run on this
	 * offloader's executor, with its timeout
	 */
	default OffloadScope scope() {
		return scope(OffloadScope.Policy.FAIL_FAST, null);
	}

	/**
	 * Opens a structured group of calls that fails fast and fails with a
	 * {@link java.util.concurrent.TimeoutException} when {@code deadline} has elapsed,
	 * cancelling its unfinished members; see {@link OffloadScope}.
	 * @param deadline a positive duration, counted from now
	 * @return a new scope; its {@link OffloadScope#call(Callable)} members run on this
	 * offloader's executor, with its timeout
	 */
	default OffloadScope scope(Duration deadline) {
		return scope(OffloadScope.Policy.FAIL_FAST, deadline);
	}

	/**
	 * Opens a structured group of calls; see {@link OffloadScope}.
	 * @param policy whether the group fails fast or collects every outcome
	 * @param deadline a positive duration, counted from now, or {@code null} for none of
	 * its own
	 * @return a new scope; its {@link OffloadScope#call(Callable)} members run on this
	 * offloader's executor, with its timeout
	 */
	OffloadScope scope(OffloadScope.Policy policy, @Nullable Duration deadline);

}
