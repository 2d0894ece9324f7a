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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.context.ContextPropagator;

/**
 * An offload executor backed by a pool of platform threads: Spring's
 * {@link ThreadPoolTaskExecutor}, built and owned here rather than registered as a bean,
 * so that Spring Boot's {@code applicationTaskExecutor} and its executor metrics are left
 * alone.
 * <p>
 * Idle threads, core ones included, end after {@code keep-alive}, so an idle bulkhead
 * costs no threads.
 *
 * @since 0.1.0
 */
public final class PlatformOffloadExecutor extends OffloadExecutor {

	private final ThreadPoolTaskExecutor taskExecutor;

	private final ThreadPoolExecutor pool;

	private final ResizableBlockingQueue<Runnable> queue;

	private final Object resizeMonitor = new Object();

	/**
	 * Creates and starts a pool.
	 * @param name the executor's name
	 * @param coreSize the number of threads kept while there is work
	 * @param maxSize the most threads, reached only once the queue is full
	 * @param queueCapacity how many calls may wait for a thread; 0 for direct hand-off
	 * @param keepAlive how long an idle thread lives
	 * @param threadNamePrefix the prefix of the threads' names
	 * @param timeout the default timeout of calls, or {@code null} for none
	 * @param awaitTermination how long calls in flight may finish at shutdown
	 * @param contextPropagator what the worker gets from the caller
	 */
	public PlatformOffloadExecutor(String name, int coreSize, int maxSize, int queueCapacity, Duration keepAlive,
			String threadNamePrefix, @Nullable Duration timeout, Duration awaitTermination,
			ContextPropagator contextPropagator) {
		super(name, timeout, awaitTermination, contextPropagator);
		ResizableBlockingQueue<Runnable> queue = new ResizableBlockingQueue<>(queueCapacity);
		ThreadPoolTaskExecutor taskExecutor = new ThreadPoolTaskExecutor() {

			@Override
			protected BlockingQueue<Runnable> createQueue(int capacity) {
				return queue;
			}

		};
		taskExecutor.setBeanName("offload-" + name);
		taskExecutor.setCorePoolSize(coreSize);
		taskExecutor.setMaxPoolSize(maxSize);
		taskExecutor.setKeepAliveSeconds((int) Math.max(1, keepAlive.toSeconds()));
		taskExecutor.setAllowCoreThreadTimeOut(true);
		taskExecutor.setThreadNamePrefix(threadNamePrefix);
		taskExecutor.initialize();
		this.taskExecutor = taskExecutor;
		this.pool = taskExecutor.getThreadPoolExecutor();
		this.pool.setKeepAliveTime(Math.max(1, keepAlive.toMillis()), TimeUnit.MILLISECONDS);
		this.queue = queue;
	}

	@Override
	public Type getType() {
		return Type.PLATFORM;
	}

	/**
	 * Returns the underlying pool, for metrics.
	 * @return the thread pool
	 */
	public ThreadPoolExecutor getThreadPoolExecutor() {
		return this.pool;
	}

	/**
	 * Returns the number of threads kept while there is work.
	 * @return the core size
	 */
	public int getCoreSize() {
		return this.pool.getCorePoolSize();
	}

	/**
	 * Returns the most threads, reached only once the queue is full.
	 * @return the maximum size
	 */
	public int getMaxSize() {
		return this.pool.getMaximumPoolSize();
	}

	/**
	 * Returns the number of threads now in the pool.
	 * @return the pool size
	 */
	public int getPoolSize() {
		return this.pool.getPoolSize();
	}

	/**
	 * Returns how many calls may wait for a thread.
	 * @return the queue capacity, 0 for direct hand-off
	 */
	public int getQueueCapacity() {
		return this.queue.getCapacity();
	}

	/**
	 * Resizes the live pool. Threads are added at once when the core size grows and
	 * queued calls wait; threads beyond a smaller size end when they next fall idle, and
	 * no running call is interrupted. Calls queued beyond a smaller queue capacity stay
	 * queued, and new calls are refused until the queue fits.
	 * @param coreSize the number of threads kept while there is work, 0 or more
	 * @param maxSize the most threads, at least 1 and at least {@code coreSize}
	 * @param queueCapacity how many calls may wait for a thread, 0 or more
	 * @throws IllegalArgumentException if the sizes are inconsistent
	 */
	public void resize(int coreSize, int maxSize, int queueCapacity) {
		if (coreSize < 0 || maxSize < 1 || maxSize < coreSize || queueCapacity < 0) {
			throw new IllegalArgumentException(
					"Invalid sizes: core " + coreSize + ", max " + maxSize + ", queue " + queueCapacity);
		}
		synchronized (this.resizeMonitor) {
			setSizes(coreSize, maxSize);
			this.queue.setCapacity(queueCapacity);
		}
	}

	private void setSizes(int coreSize, int maxSize) {
		// The pool refuses a core size above its maximum and a maximum below its
		// core size at every step, so the order depends on which way the sizes move.
		if (maxSize >= this.pool.getCorePoolSize()) {
			this.taskExecutor.setMaxPoolSize(maxSize);
			this.taskExecutor.setCorePoolSize(coreSize);
		}
		else {
			this.taskExecutor.setCorePoolSize(coreSize);
			this.taskExecutor.setMaxPoolSize(maxSize);
		}
	}

	/**
	 * Changes only the queue capacity of the live pool; see
	 * {@link #resize(int, int, int)}. The sizes of an adaptive pool follow its limit, so
	 * that they are not written back here from a stale read.
	 * @param queueCapacity how many calls may wait for a thread, 0 or more
	 * @throws IllegalArgumentException if the capacity is negative
	 */
	public void setQueueCapacity(int queueCapacity) {
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("Invalid queue capacity: " + queueCapacity);
		}
		synchronized (this.resizeMonitor) {
			this.queue.setCapacity(queueCapacity);
		}
	}

	/**
	 * Follows an adaptive limit: the pool's core and maximum sizes both become the limit.
	 * A higher limit starts threads for queued calls at once; with a lower one, the
	 * threads beyond it end as they finish their call, so no running body is interrupted,
	 * and no new body starts until fewer than the limit run.
	 */
	@Override
	protected void applyLimit(int limit) {
		synchronized (this.resizeMonitor) {
			setSizes(limit, limit);
		}
	}

	/**
	 * Returns how many calls the pool's threads have run.
	 * @return the completed count
	 */
	public long getCompletedCount() {
		return this.pool.getCompletedTaskCount();
	}

	@Override
	public int getActiveCount() {
		return this.pool.getActiveCount();
	}

	@Override
	public int getQueueSize() {
		return this.pool.getQueue().size();
	}

	@Override
	protected void execute(OffloadCall<?> call) throws RejectedExecutionException {
		this.pool.execute(call);
	}

	@Override
	protected boolean hasIdleCapacity() {
		return wouldStartNow(this.pool);
	}

	/**
	 * Returns whether a task handed to the pool now would start at once rather than wait
	 * in its queue: an idle thread would take it, or the pool would start a thread for
	 * it. Comparing the active threads with the maximum is not enough: a
	 * {@link ThreadPoolExecutor} adds threads beyond its core size only when its queue is
	 * full, so below that the task waits behind the busy core threads.
	 * @param pool the pool
	 * @return whether a thread would take the task now
	 */
	static boolean wouldStartNow(ThreadPoolExecutor pool) {
		int poolSize = pool.getPoolSize();
		if (poolSize < pool.getCorePoolSize()) {
			return true;
		}
		BlockingQueue<Runnable> queue = pool.getQueue();
		if (poolSize - pool.getActiveCount() > queue.size()) {
			return true;
		}
		return queue.remainingCapacity() == 0 && poolSize < pool.getMaximumPoolSize();
	}

	@Override
	protected void remove(OffloadCall<?> call) {
		this.pool.remove(call);
	}

	@Override
	protected String describeCapacity() {
		return this.pool.getActiveCount() + " of " + this.pool.getMaximumPoolSize() + " threads busy, "
				+ ((getQueueCapacity() > 0) ? "queue of " + getQueueCapacity() + " full" : "no queue");
	}

	@Override
	protected boolean isShutDown() {
		return this.pool.isShutdown();
	}

	@Override
	protected void initiateShutdown() {
		this.pool.shutdown();
	}

	@Override
	protected boolean isTerminated() {
		return this.pool.isTerminated();
	}

	@Override
	protected void clearQueue() {
		this.pool.getQueue().clear();
	}

	@Override
	protected void shutdownNow() {
		this.pool.shutdownNow();
	}

	@Override
	public String toString() {
		return "PlatformOffloadExecutor[" + getName() + ", " + this.taskExecutor.getThreadNamePrefix() + "]";
	}

}
