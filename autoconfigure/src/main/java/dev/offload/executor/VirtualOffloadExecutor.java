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

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.VirtualThreadTaskExecutor;

import dev.offload.context.ContextPropagator;

/**
 * An offload executor that runs each call on a new virtual thread (Java 21+), with an
 * optional limit on how many run at once.
 * <p>
 * Spring's {@code SimpleAsyncTaskExecutor} limits concurrency by blocking the submitting
 * thread, and the JDK has no bounded virtual-thread executor, so the limit is kept here:
 * calls beyond {@code maxConcurrency} wait in a bounded queue and start, each on its own
 * virtual thread, as running calls finish; when the queue is full the call is rejected.
 * The caller never blocks. Threads come from Spring's {@link VirtualThreadTaskExecutor},
 * which names them and keeps this class compilable for Java 17.
 *
 * @since 0.1.0
 */
public final class VirtualOffloadExecutor extends OffloadExecutor {

	private final ThreadFactory threadFactory;

	private final String threadNamePrefix;

	private final AtomicLong threadCount = new AtomicLong();

	/**
	 * The limit (high 32 bits) and the calls holding a permit (low 32 bits), in one word,
	 * so that a permit is taken against the limit in force at that instant and a change
	 * of limit never overwrites a permit taken or given back at the same time.
	 */
	private final AtomicLong permits;

	private final Object resizeMonitor = new Object();

	private final @Nullable ResizableBlockingQueue<OffloadCall<?>> queue;

	private volatile boolean shutdown;

	/**
	 * Creates an executor.
	 * @param name the executor's name
	 * @param maxConcurrency the most calls that run at once, or {@code null} for no limit
	 * @param queueCapacity how many calls may wait for a permit when limited; 0 for none
	 * @param threadNamePrefix the prefix of the threads' names
	 * @param timeout the default timeout of calls, or {@code null} for none
	 * @param awaitTermination how long calls in flight may finish at shutdown
	 * @param contextPropagator what the worker gets from the caller
	 */
	public VirtualOffloadExecutor(String name, @Nullable Integer maxConcurrency, int queueCapacity,
			String threadNamePrefix, @Nullable Duration timeout, Duration awaitTermination,
			ContextPropagator contextPropagator) {
		// Unnamed, and named here: the JDK's own naming counts from 0, pools from 1.
		this(name, maxConcurrency, queueCapacity, threadNamePrefix, timeout, awaitTermination, contextPropagator,
				new VirtualThreadTaskExecutor().getVirtualThreadFactory());
	}

	/**
	 * Creates an executor on the given thread factory (a seam for tests).
	 */
	VirtualOffloadExecutor(String name, @Nullable Integer maxConcurrency, int queueCapacity, String threadNamePrefix,
			@Nullable Duration timeout, Duration awaitTermination, ContextPropagator contextPropagator,
			ThreadFactory threadFactory) {
		super(name, timeout, awaitTermination, contextPropagator);
		this.threadFactory = threadFactory;
		this.threadNamePrefix = threadNamePrefix;
		this.permits = new AtomicLong(limitBits((maxConcurrency != null) ? maxConcurrency : Integer.MAX_VALUE));
		this.queue = (maxConcurrency != null) ? new ResizableBlockingQueue<>(queueCapacity) : null;
	}

	@Override
	public Type getType() {
		return Type.VIRTUAL;
	}

	/**
	 * Returns the most calls that run at once.
	 * @return the limit, or {@code Integer.MAX_VALUE} for none
	 */
	public int getMaxConcurrency() {
		return limit(this.permits.get());
	}

	private static long limitBits(int limit) {
		return ((long) limit) << 32;
	}

	private static int limit(long permits) {
		return (int) (permits >>> 32);
	}

	private static int running(long permits) {
		return (int) permits;
	}

	/**
	 * Returns how many calls may wait for a permit.
	 * @return the queue capacity, 0 for none
	 */
	public int getQueueCapacity() {
		ResizableBlockingQueue<OffloadCall<?>> queue = this.queue;
		return (queue != null) ? queue.getCapacity() : 0;
	}

	/**
	 * Returns whether the executor limits how many calls run at once; only then can
	 * {@link #resize(int, int)} change the limit and the queue.
	 * @return whether a concurrency limit was configured
	 */
	public boolean isLimited() {
		return this.queue != null;
	}

	/**
	 * Changes the concurrency limit and the queue capacity of a limited executor while
	 * calls run. A higher limit starts queued calls at once. With a lower one the calls
	 * running go on, and from the change on a call starts only while fewer than the new
	 * limit hold a permit, so once the calls running at the change have finished, never
	 * more than the new limit run at once. The limit and the count of permits in use
	 * change together, atomically, so no permit is lost or gained. Calls queued beyond a
	 * smaller queue capacity stay queued.
	 * @param maxConcurrency the most calls that run at once, 1 or more
	 * @param queueCapacity how many calls may wait for a permit, 0 or more
	 * @throws IllegalArgumentException if a value is out of range
	 * @throws IllegalStateException if the executor has no concurrency limit
	 */
	public void resize(int maxConcurrency, int queueCapacity) {
		ResizableBlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue == null) {
			throw new IllegalStateException("Executor '" + getName() + "' has no concurrency limit");
		}
		if (maxConcurrency < 1 || queueCapacity < 0) {
			throw new IllegalArgumentException(
					"Invalid limits: max-concurrency " + maxConcurrency + ", queue " + queueCapacity);
		}
		synchronized (this.resizeMonitor) {
			queue.setCapacity(queueCapacity);
			this.permits.getAndUpdate((permits) -> limitBits(maxConcurrency) | (permits & 0xFFFF_FFFFL));
		}
		// Permits may be free now: start the calls that were waiting for them.
		drain();
	}

	/**
	 * Changes only the queue capacity of a limited executor; see
	 * {@link #resize(int, int)}. The limit of an adaptive executor is its limiter's, so
	 * it is not written back here from a stale read.
	 * @param queueCapacity how many calls may wait for a permit, 0 or more
	 * @throws IllegalArgumentException if the capacity is negative
	 * @throws IllegalStateException if the executor has no concurrency limit
	 */
	public void setQueueCapacity(int queueCapacity) {
		ResizableBlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue == null) {
			throw new IllegalStateException("Executor '" + getName() + "' has no concurrency limit");
		}
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("Invalid queue capacity: " + queueCapacity);
		}
		synchronized (this.resizeMonitor) {
			queue.setCapacity(queueCapacity);
		}
	}

	/**
	 * Follows an adaptive limit: the number of permits becomes the limit, in the same
	 * atomic word as the permits in use (see {@link #resize(int, int)}).
	 */
	@Override
	protected void applyLimit(int limit) {
		if (this.queue == null) {
			throw new IllegalStateException("Executor '" + getName() + "' has no concurrency limit to adapt");
		}
		this.permits.getAndUpdate((permits) -> limitBits(limit) | (permits & 0xFFFF_FFFFL));
		drain();
	}

	@Override
	public int getActiveCount() {
		return running(this.permits.get());
	}

	@Override
	public int getQueueSize() {
		BlockingQueue<OffloadCall<?>> queue = this.queue;
		return (queue != null) ? queue.size() : 0;
	}

	@Override
	protected void execute(OffloadCall<?> call) throws RejectedExecutionException {
		if (this.shutdown) {
			throw new RejectedExecutionException("shut down");
		}
		if (tryAcquire()) {
			start(call);
			return;
		}
		BlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue == null || !queue.offer(call)) {
			throw new RejectedExecutionException("saturated");
		}
		// A permit may have been released between the failed acquire and the offer.
		drain();
	}

	private boolean tryAcquire() {
		for (;;) {
			long current = this.permits.get();
			if (running(current) >= limit(current)) {
				return false;
			}
			if (this.permits.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	private void release() {
		this.permits.decrementAndGet();
		drain();
	}

	/**
	 * Starts queued calls while permits are free. Every path that frees a permit or
	 * queues a call ends here, so no call is stranded in the queue while a permit is
	 * free. Queued calls still start during a graceful shutdown, until
	 * {@link #shutdownNow()} empties the queue.
	 */
	private void drain() {
		BlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue == null) {
			return;
		}
		while (!queue.isEmpty() && tryAcquire()) {
			OffloadCall<?> next = queue.poll();
			if (next == null) {
				this.permits.decrementAndGet();
			}
			else {
				start(next);
			}
		}
	}

	private void start(OffloadCall<?> call) {
		try {
			Thread thread = this.threadFactory.newThread(() -> {
				try {
					call.run();
				}
				finally {
					release();
				}
			});
			thread.setName(this.threadNamePrefix + this.threadCount.incrementAndGet());
			thread.start();
		}
		catch (Throwable ex) {
			// Give the permit back to a queued call, not only to the next release.
			release();
			call.reject(new RejectedExecutionException("Offload executor '" + getName()
					+ "' could not start a virtual thread for " + call.getSite().getDescription(), ex));
		}
	}

	@Override
	protected boolean hasIdleCapacity() {
		long permits = this.permits.get();
		return running(permits) < limit(permits);
	}

	@Override
	protected void remove(OffloadCall<?> call) {
		BlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue != null) {
			queue.remove(call);
		}
	}

	@Override
	protected String describeCapacity() {
		long permits = this.permits.get();
		return running(permits) + " of " + limit(permits) + " permits in use, "
				+ ((getQueueCapacity() > 0) ? "queue of " + getQueueCapacity() + " full" : "no queue");
	}

	@Override
	protected boolean isShutDown() {
		return this.shutdown;
	}

	@Override
	protected void initiateShutdown() {
		this.shutdown = true;
	}

	@Override
	protected boolean isTerminated() {
		return running(this.permits.get()) == 0;
	}

	@Override
	protected void clearQueue() {
		BlockingQueue<OffloadCall<?>> queue = this.queue;
		if (queue != null) {
			queue.clear();
		}
	}

	@Override
	protected void shutdownNow() {
		// Each call has its own thread, interrupted through its call by
		// ExecutorShutdown.cutOff(), which also finds the bodies whose future is
		// complete.
	}

}
