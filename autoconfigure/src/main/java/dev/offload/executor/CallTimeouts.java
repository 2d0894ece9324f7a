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

package dev.offload.executor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The timeouts of every call of a registry's executors: one timer thread that only
 * triggers, and a small cached pool that completes the timed-out calls.
 * <p>
 * Completing a call runs its caller's dependent stages (attached without an executor) on
 * the completing thread. On the single timer thread, one slow callback would delay every
 * other call's timeout; so each timed-out call is completed on a completion thread of its
 * own, as a cached pool hands them out (at most {@link #MAX_COMPLETION_THREADS}; beyond,
 * the timer thread completes the call itself rather than queue it). Nothing is allocated
 * for this unless a timeout fires.
 *
 * @see OffloadCall#timeOut()
 */
final class CallTimeouts {

	/**
	 * The most threads that complete timed-out calls at once.
	 */
	static final int MAX_COMPLETION_THREADS = 64;

	private final ScheduledThreadPoolExecutor timer;

	private final ThreadPoolExecutor completer;

	CallTimeouts() {
		this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("offload-timeout-"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setKeepAliveTime(60, TimeUnit.SECONDS);
		this.timer.allowCoreThreadTimeOut(true);
		this.completer = new ThreadPoolExecutor(0, MAX_COMPLETION_THREADS, 10, TimeUnit.SECONDS,
				new SynchronousQueue<>(), daemonThreads("offload-completion-"), (completion, pool) -> completion.run());
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threadFactory = new CustomizableThreadFactory(prefix);
		threadFactory.setDaemon(true);
		return threadFactory;
	}

	/**
	 * Starts the clock of a call.
	 * @throws RejectedExecutionException if the registry is shut down
	 */
	void schedule(OffloadCall<?> call, long timeoutNanos) {
		call.setTimeout(this.timer.schedule(call::timeOut, timeoutNanos, TimeUnit.NANOSECONDS));
	}

	/**
	 * Starts the clock of a scope's deadline; {@code task} should only trigger, and
	 * complete the scope through {@link #completeLater}.
	 * @throws RejectedExecutionException if the registry is shut down
	 */
	ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		return this.timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Completes a timed-out call away from the timer thread.
	 */
	void completeLater(Runnable completion) {
		this.completer.execute(completion);
	}

	/**
	 * Stops the timer; completions in progress finish, later ones run on the caller.
	 */
	void shutdown() {
		this.timer.shutdownNow();
		this.completer.shutdown();
	}

}
