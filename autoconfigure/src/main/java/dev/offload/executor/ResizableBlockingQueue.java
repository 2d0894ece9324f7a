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

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The queue of calls waiting for a thread or a permit, whose capacity can change while
 * calls wait in it.
 * <p>
 * Neither the JDK nor Spring has one: a {@link LinkedBlockingQueue}'s capacity is final,
 * and Spring's {@code ThreadPoolTaskExecutor#setQueueCapacity} only chooses the queue
 * built at {@code initialize()}. dynamic-tp's {@code VariableLinkedBlockingQueue} (a copy
 * of the JDK class with a mutable capacity) would be a new dependency for one field. So
 * this queue is an unbounded {@link LinkedBlockingQueue} whose non-blocking
 * {@link #offer(Object)} (the only way a {@code ThreadPoolExecutor} or a virtual executor
 * adds to it) refuses an element once the queue holds {@link #getCapacity() capacity}
 * elements. The check and the insertion happen under one lock, so concurrent offers never
 * overfill it; removals only shorten the queue, so they need no lock.
 * <p>
 * Lowering the capacity below the current length keeps every queued element: offers are
 * refused until enough have been taken for the queue to fit. An element that a waiting
 * consumer will take at once does not occupy capacity, so a queue of capacity 0 hands
 * elements to idle consumers as a {@code SynchronousQueue} does, and refuses them when
 * none is waiting.
 * <p>
 * Not supported: producers that wait for space ({@link #put(Object)} and the timed
 * {@link #offer(Object, long, TimeUnit)} throw {@link UnsupportedOperationException}),
 * since no executor of Offload blocks its caller.
 */
final class ResizableBlockingQueue<E> extends LinkedBlockingQueue<E> {

	private static final long serialVersionUID = 1L;

	private final ReentrantLock offerLock = new ReentrantLock();

	private final AtomicInteger waitingConsumers = new AtomicInteger();

	private volatile int capacity;

	/**
	 * Creates an empty queue.
	 * @param capacity how many elements it may hold; 0 for direct hand-off
	 */
	ResizableBlockingQueue(int capacity) {
		checkCapacity(capacity);
		this.capacity = capacity;
	}

	/**
	 * Returns how many elements the queue may hold.
	 * @return the capacity
	 */
	int getCapacity() {
		return this.capacity;
	}

	/**
	 * Changes how many elements the queue may hold. Elements already queued stay queued
	 * even when they no longer fit.
	 * @param capacity the new capacity, 0 or more
	 */
	void setCapacity(int capacity) {
		checkCapacity(capacity);
		this.capacity = capacity;
	}

	private static void checkCapacity(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must be 0 or more, but is " + capacity);
		}
	}

	@Override
	public boolean offer(E element) {
		ReentrantLock lock = this.offerLock;
		lock.lock();
		try {
			if (size() >= this.capacity + this.waitingConsumers.get()) {
				return false;
			}
			return super.offer(element);
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public void put(E element) {
		throw new UnsupportedOperationException("Offload's queues never block a producer: use offer(E)");
	}

	@Override
	public boolean offer(E element, long timeout, TimeUnit unit) {
		throw new UnsupportedOperationException("Offload's queues never block a producer: use offer(E)");
	}

	@Override
	public E take() throws InterruptedException {
		this.waitingConsumers.incrementAndGet();
		try {
			return super.take();
		}
		finally {
			this.waitingConsumers.decrementAndGet();
		}
	}

	@Override
	public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
		this.waitingConsumers.incrementAndGet();
		try {
			return super.poll(timeout, unit);
		}
		finally {
			this.waitingConsumers.decrementAndGet();
		}
	}

	@Override
	public int remainingCapacity() {
		return Math.max(0, this.capacity - size());
	}

}
