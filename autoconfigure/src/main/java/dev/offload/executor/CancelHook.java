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

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadCancellation;

/**
 * One action registered in {@link CancelHooks}. Its state (the {@code AtomicInteger} it
 * extends, so that no field is looked up by reflection) moves once: from
 * {@code REGISTERED} to {@code RUNNING} and {@code DONE} (the stopping thread claimed
 * it), or to {@code REMOVED} (its registration was closed, or the body returned).
 */
@SuppressWarnings("serial")
final class CancelHook extends AtomicInteger implements OffloadCancellation.Registration {

	static final int REGISTERED = 0;

	static final int RUNNING = 1;

	static final int DONE = 2;

	static final int REMOVED = 3;

	private static final long WAIT_NANOS = 10_000_000;

	private final CancelHooks owner;

	private final AutoCloseable action;

	private volatile @Nullable Thread waiter;

	CancelHook(CancelHooks owner, AutoCloseable action) {
		this.owner = owner;
		this.action = action;
	}

	void run() {
		if (compareAndSet(REGISTERED, RUNNING)) {
			try {
				this.owner.runAction(this.action);
			}
			finally {
				set(DONE);
				Thread waiter = this.waiter;
				if (waiter != null) {
					LockSupport.unpark(waiter);
				}
			}
		}
	}

	@Override
	public void close() {
		if (remove()) {
			this.owner.forget(this);
		}
	}

	/**
	 * Makes sure the action will not run from now on.
	 * @return whether this call took the hook back before it ran
	 */
	boolean remove() {
		if (compareAndSet(REGISTERED, REMOVED)) {
			return true;
		}
		awaitDone();
		return false;
	}

	/**
	 * Waits until a running action has ended. The thread waiting is often the body that
	 * the stopping thread has just interrupted: the interrupt is kept for after the wait,
	 * and the wait is not cut short by it.
	 */
	private void awaitDone() {
		if (get() != RUNNING) {
			return;
		}
		Thread current = Thread.currentThread();
		this.waiter = current;
		boolean interrupted = false;
		while (get() == RUNNING) {
			// Bounded, in case a second thread waits for the same hook.
			LockSupport.parkNanos(this, WAIT_NANOS);
			interrupted |= Thread.interrupted();
		}
		this.waiter = null;
		if (interrupted) {
			current.interrupt();
		}
	}

}
