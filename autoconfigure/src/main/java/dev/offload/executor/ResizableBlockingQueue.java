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
import java.util.concurrent.locks.Condition;
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
 * overfill it; removals only shorten the queue, so they need no lock, except those of
 * consumers that wait, which wait on that lock.
 * <p>
 * Lowering the capacity below the current length keeps every queued element: offers are
 * refused until enough have been taken for the queue to fit. An element offered while a
 * consumer waits for one goes to that consumer and does not occupy capacity, so a queue
 * of capacity 0 hands elements to idle threads as the {@code SynchronousQueue} of a
 * direct hand-off pool does, and refuses them when none waits.
 * <p>
 * Not supported: producers that wait for space ({@link #put(Object)} and the timed
 * {@link #offer(Object, long, TimeUnit)} throw {@link UnsupportedOperationException}),
 * since no executor of Offload blocks its caller.
 */
final class ResizableBlockingQueue<E> extends LinkedBlockingQueue<E> {

	private static final long serialVersionUID = 1L;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	/**
	 * Consumers waiting for an element, guarded by {@link #lock}.
	 */
	private int waitingConsumers;

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

	/**
	 * Returns how many consumers wait for an element now.
	 * @return the count of waiting consumers
	 */
	int getWaitingConsumerCount() {
		ReentrantLock lock = this.lock;
		lock.lock();
		try {
			return this.waitingConsumers;
		}
		finally {
			lock.unlock();
		}
	}

	private static void checkCapacity(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must be 0 or more, but is " + capacity);
		}
	}

	@Override
	public boolean offer(E element) {
		ReentrantLock lock = this.lock;
		lock.lock();
		try {
			if (size() >= this.capacity + this.waitingConsumers || !super.offer(element)) {
				return false;
			}
			this.notEmpty.signal();
			return true;
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

	/**
	 * Waits for an element. Consumers wait on this queue's own lock, not inside the
	 * {@link LinkedBlockingQueue}, so that an offer sees exactly how many consumers wait
	 * for an element and none that has just been given one.
	 */
	@Override
	public E take() throws InterruptedException {
		ReentrantLock lock = this.lock;
		lock.lockInterruptibly();
		try {
			for (;;) {
				E element = super.poll();
				if (element != null) {
					return element;
				}
				this.waitingConsumers++;
				try {
					this.notEmpty.await();
				}
				finally {
					this.waitingConsumers--;
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(timeout);
		ReentrantLock lock = this.lock;
		lock.lockInterruptibly();
		try {
			for (;;) {
				E element = super.poll();
				if (element != null || nanos <= 0) {
					return element;
				}
				this.waitingConsumers++;
				try {
					nanos = this.notEmpty.awaitNanos(nanos);
				}
				finally {
					this.waitingConsumers--;
				}
			}
		}
		finally {
			lock.unlock();
		}
	}

	@Override
	public int remainingCapacity() {
		return Math.max(0, this.capacity - size());
	}

}
