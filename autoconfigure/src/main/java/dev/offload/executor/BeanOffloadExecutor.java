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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.context.ContextPropagator;

/**
 * An offload executor that runs calls on an {@link Executor} bean of the application
 * ({@code offload.executors.<name>.bean}). The bean keeps its owner's settings and
 * lifecycle: it is neither configured nor shut down here. Everything else (context,
 * timeouts, cancellation, rejection as a failed future, no future left incomplete at
 * close) applies as to any executor.
 *
 * @since 0.1.0
 */
public final class BeanOffloadExecutor extends OffloadExecutor {

	private final String beanName;

	private final Executor delegate;

	private final @Nullable ThreadPoolExecutor pool;

	/**
	 * Creates an executor around a bean.
	 * @param name the executor's name
	 * @param beanName the name of the bean
	 * @param delegate the bean
	 * @param timeout the default timeout of calls, or {@code null} for none
	 * @param awaitTermination how long calls in flight may finish at shutdown
	 * @param contextPropagator what the worker gets from the caller
	 */
	public BeanOffloadExecutor(String name, String beanName, Executor delegate, @Nullable Duration timeout,
			Duration awaitTermination, ContextPropagator contextPropagator) {
		super(name, timeout, awaitTermination, contextPropagator);
		this.beanName = beanName;
		this.delegate = delegate;
		this.pool = threadPool(delegate);
	}

	private static @Nullable ThreadPoolExecutor threadPool(Executor executor) {
		if (executor instanceof ThreadPoolExecutor pool) {
			return pool;
		}
		if (executor instanceof ThreadPoolTaskExecutor taskExecutor) {
			try {
				return taskExecutor.getThreadPoolExecutor();
			}
			catch (IllegalStateException ex) {
				return null;
			}
		}
		return null;
	}

	@Override
	public Type getType() {
		return Type.PLATFORM;
	}

	/**
	 * Returns the name of the bean the calls run on.
	 * @return the bean name
	 */
	public String getBeanName() {
		return this.beanName;
	}

	@Override
	public int getActiveCount() {
		return (this.pool != null) ? this.pool.getActiveCount() : -1;
	}

	@Override
	public int getQueueSize() {
		return (this.pool != null) ? this.pool.getQueue().size() : -1;
	}

	@Override
	protected void execute(OffloadCall<?> call) throws RejectedExecutionException {
		this.delegate.execute(call);
	}

	@Override
	protected boolean hasIdleCapacity() {
		// Only a thread pool can tell; any other executor is assumed to start calls at
		// once.
		return this.pool == null || PlatformOffloadExecutor.wouldStartNow(this.pool);
	}

	@Override
	protected void remove(OffloadCall<?> call) {
		// A decorating executor queues a wrapper instead; the call then finds itself
		// stopped
		// when a thread takes it, and returns at once.
		if (this.pool != null) {
			this.pool.remove(call);
		}
	}

	@Override
	protected String describeCapacity() {
		return "bean '" + this.beanName + "' refused the call";
	}

	@Override
	protected boolean isShutDown() {
		return this.pool != null && this.pool.isShutdown();
	}

	@Override
	protected void initiateShutdown() {
		// The bean's lifecycle is its owner's; new calls are refused by OffloadExecutor.
	}

	@Override
	protected boolean isTerminated() {
		return true;
	}

	@Override
	protected void clearQueue() {
		// The bean's queue is its owner's; calls left in it find themselves stopped and
		// return.
	}

	@Override
	protected void shutdownNow() {
		// The bean's lifecycle is its owner's; cutOff() still rejects or interrupts our
		// calls.
	}

}
