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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The run state of an offloaded call: whether a worker took it, runs it, was asked to
 * interrupt it, or it was dropped from the queue. Every transition is a compare-and-set,
 * so that the worker, a cancelling caller, the timeout and shutdown agree on one history:
 * <pre>
 * NEW --worker--&gt; RUNNING --interrupt--&gt; INTERRUPTING --&gt; INTERRUPTED
 *  |                  |                                        |
 *  +--drop--&gt; DROPPED +---------------&gt; FINISHED &lt;--------------+
 * </pre> The interrupt handshake is the one {@link java.util.concurrent.FutureTask} uses:
 * the worker leaving the body waits for an interrupt in progress to land, then clears it,
 * so that no interrupt reaches the next task on the thread.
 * <p>
 * A base class of {@link OffloadCall} rather than an object of its own, so that a call
 * stays one allocation.
 *
 * @param <T> the type of the result
 */
abstract class CallRunState<T> extends CompletableFuture<T> {

	private static final int NEW = 0;

	private static final int RUNNING = 1;

	private static final int INTERRUPTING = 2;

	private static final int INTERRUPTED = 3;

	private static final int FINISHED = 4;

	private static final int DROPPED = 5;

	private static final VarHandle STATE;

	private static final VarHandle RUNNER;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(CallRunState.class, "state", int.class);
			RUNNER = lookup.findVarHandle(CallRunState.class, "runner", Thread.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private volatile int state;

	private volatile @Nullable Thread runner;

	private volatile boolean cutOff;

	/**
	 * Returns whether the body has started (it may have finished since).
	 * @return whether a worker took the call
	 */
	public boolean hasStarted() {
		int s = this.state;
		return s != NEW && s != DROPPED;
	}

	/**
	 * Returns whether the body is running now: taken by a worker and not yet returned.
	 */
	final boolean isBodyRunning() {
		int s = this.state;
		return s == RUNNING || s == INTERRUPTING || s == INTERRUPTED;
	}

	final boolean isInterruptRequested() {
		int s = this.state;
		return s == INTERRUPTING || s == INTERRUPTED;
	}

	final boolean isDropped() {
		return this.state == DROPPED;
	}

	final boolean isCutOff() {
		return this.cutOff;
	}

	/**
	 * Lets the current thread take the call, unless it was taken or dropped before.
	 * @return whether the current thread now runs the call
	 */
	final boolean tryStart() {
		// The runner is claimed first, as FutureTask does: a second run() on a running
		// call
		// must not overwrite (or clear) the thread that an interrupt is aimed at.
		if (!RUNNER.compareAndSet(this, null, Thread.currentThread())) {
			return false;
		}
		if (STATE.compareAndSet(this, NEW, RUNNING)) {
			return true;
		}
		this.runner = null;
		return false;
	}

	/**
	 * Takes a call that no worker has taken out of the run, for good.
	 * @return whether the call was still queued
	 */
	final boolean tryDrop() {
		return STATE.compareAndSet(this, NEW, DROPPED);
	}

	/**
	 * Leaves the running state; waits for an interrupt in progress to land, then clears
	 * the thread's interrupt flag so that neither the dependent stages nor the next task
	 * see it.
	 */
	void endRun() {
		for (;;) {
			int s = this.state;
			if (s == INTERRUPTING) {
				Thread.onSpinWait();
			}
			else if (s != RUNNING && s != INTERRUPTED) {
				break;
			}
			else if (STATE.compareAndSet(this, s, FINISHED)) {
				break;
			}
		}
		// A later run() may claim the runner again, but cannot leave FINISHED: harmless.
		this.runner = null;
		Thread.interrupted();
	}

	/**
	 * Interrupts a running body. {@code cutOff} marks it as cut off by shutdown before
	 * the interrupt lands, so that a body that returns normally afterwards still fails;
	 * {@code again} interrupts a body that was interrupted before (and swallowed it).
	 * @return whether the body was interrupted
	 */
	final boolean interruptRunner(boolean cutOff, boolean again) {
		if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)
				|| (again && STATE.compareAndSet(this, INTERRUPTED, INTERRUPTING))) {
			try {
				if (cutOff) {
					this.cutOff = true;
				}
				Thread thread = this.runner;
				if (thread != null) {
					thread.interrupt();
				}
			}
			finally {
				this.state = INTERRUPTED;
			}
			return true;
		}
		return false;
	}

}
