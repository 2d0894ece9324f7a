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

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An application's {@link Executor} with one thread that runs its tasks one after another
 * and clears nothing between them, as an event loop or a hand-written executor does.
 * <p>
 * This is where a worker left dirty shows: whatever a task leaves on the thread (an
 * interrupt flag, thread-local context) is what the next task sees. A
 * {@code ThreadPoolExecutor} would hide the interrupt flag, since it clears it before
 * each task; and a check made from inside the next offloaded body would hide the context,
 * since the context is restored over it before that body runs. So the tests look through
 * {@link #runPlain(Callable)}: a plain task of the application, on the same thread, after
 * the call.
 */
public final class SingleThreadWorker implements Executor, AutoCloseable {

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final Semaphore available = new Semaphore(0);

	private final Thread thread;

	private volatile boolean closed;

	/**
	 * Creates and starts the worker.
	 * @param name the name of its thread
	 */
	public SingleThreadWorker(String name) {
		this.thread = new Thread(this::loop, name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void loop() {
		while (!this.closed) {
			// Waits without consuming the interrupt flag: a task that leaves it set is
			// seen
			// by the next.
			this.available.acquireUninterruptibly();
			Runnable task = this.tasks.poll();
			if (task != null) {
				try {
					task.run();
				}
				catch (Throwable ex) {
					// Like a pool, the worker survives a failing task.
				}
			}
		}
	}

	@Override
	public void execute(Runnable task) {
		if (this.closed) {
			throw new java.util.concurrent.RejectedExecutionException("closed");
		}
		this.tasks.add(task);
		this.available.release();
	}

	/**
	 * Runs a plain task of the application on the worker's thread, after every task
	 * already handed to it, and returns what it returns.
	 * @param <T> the type of the result
	 * @param task the task
	 * @return its result
	 * @throws Exception if the task fails or does not run within {@link Latches#SECONDS}
	 */
	public <T> T runPlain(Callable<T> task) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		execute(() -> {
			try {
				result.complete(task.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		return result.get(Latches.SECONDS, TimeUnit.SECONDS);
	}

	/**
	 * Returns the worker's thread.
	 * @return the thread
	 */
	public Thread getThread() {
		return this.thread;
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		this.available.release();
		this.thread.join(TimeUnit.SECONDS.toMillis(Latches.SECONDS));
	}

}
