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

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.offload.OffloadCancellation;

/**
 * The cancel hooks of one running call, and the runtime side of
 * {@link OffloadCancellation}: what to close or abort, besides the interrupt, when the
 * call's running body is interrupted (timeout, {@code cancel(true)}, shutdown cut-off).
 * <p>
 * The hooks are registered on the worker, by the body; they are run by the thread that
 * interrupts the body, after the caller's future has completed; the worker closes them
 * all when the body returns. Each hook is claimed by one compare-and-set, so it runs at
 * most once, and never once removed; removing a hook that is running waits until it has
 * run, so that what it closes (a statement, a socket) cannot be reused by the next
 * operation meanwhile. A registration that races with the interrupt either is seen by the
 * interrupting thread or sees the interrupt itself (both sides write, then read the
 * other's volatile state).
 * <p>
 * The hooks of a call are kept in one map keyed by the call rather than in a field of
 * {@link OffloadCall}, so that a call whose body registers none costs no allocation and
 * keeps its size; the worker looks the call up once when its body returns.
 * <p>
 * Public for Offload's integrations (the JDBC statement cancellation); applications use
 * {@link OffloadCancellation}.
 *
 * @since 0.1.0
 */
public final class CancelHooks {

	private static final Log logger = LogFactory.getLog(CancelHooks.class);

	private static final ConcurrentHashMap<OffloadCall<?>, CancelHooks> HOOKS = new ConcurrentHashMap<>();

	private static final OffloadCancellation.Registration NONE = () -> {
	};

	private final OffloadCall<?> call;

	// Guarded by this.
	private CancelHook[] hooks = new CancelHook[2];

	private int size;

	private boolean fired;

	private boolean closed;

	private CancelHooks(OffloadCall<?> call) {
		this.call = call;
	}

	/**
	 * Registers a cancel hook for the call whose body runs on the current thread; see
	 * {@link OffloadCancellation#onCancel(AutoCloseable)}.
	 * @param action what to close or abort
	 * @return the registration; one that does nothing if no offloaded body runs here
	 */
	public static OffloadCancellation.Registration register(AutoCloseable action) {
		OffloadCall<?> call = CallRunner.current();
		if (call == null || !call.isBodyRunning()) {
			return NONE;
		}
		CancelHook hook = add(call, action);
		if (hook.get() == CancelHook.REMOVED) {
			// Stopped before: the action runs now, on the body's own thread.
			run(call, action);
			return NONE;
		}
		return hook;
	}

	/**
	 * Registers a cancel hook for a blocking operation that must not start at all once
	 * the call is stopped, such as a JDBC statement.
	 * @param call the call whose body runs on the current thread, as
	 * {@link #currentCall()} returned it
	 * @param action what to close or abort
	 * @return the registration, to close when the operation is over; one that does
	 * nothing if the body has returned already (a dependent stage runs); or {@code null}
	 * if the call was stopped already, so that the operation must not start (the action
	 * has not run, or has run and ended on the stopping thread)
	 */
	public static OffloadCancellation.@Nullable Registration registerUnlessStopped(OffloadCall<?> call,
			AutoCloseable action) {
		if (!call.isBodyRunning()) {
			return NONE;
		}
		CancelHook hook = add(call, action);
		if (hook.get() != CancelHook.REGISTERED) {
			hook.close();
			return null;
		}
		return hook;
	}

	/**
	 * Returns the call whose body runs on the current thread.
	 * @return the call, or {@code null} if the current thread runs no offloaded body
	 */
	public static @Nullable OffloadCall<?> currentCall() {
		return CallRunner.current();
	}

	/**
	 * Returns the time left until the call times out.
	 * @param call the call
	 * @return the remaining time in nanoseconds (0 or negative if the deadline has
	 * passed), or {@link Long#MAX_VALUE} if the call has no timeout
	 */
	public static long remainingNanos(OffloadCall<?> call) {
		// The deadline in force: the call's own timeout, or the earlier one it inherited
		// from its caller or its scope.
		Deadline deadline = call.getDeadline();
		return (deadline != null) ? deadline.getNanos() - System.nanoTime() : Long.MAX_VALUE;
	}

	/**
	 * Adds a hook for the call. The hook comes back {@code REGISTERED}; or
	 * {@code REMOVED}, its action not run, if the call was stopped before; or
	 * {@code DONE} if the stopping thread ran it meanwhile.
	 */
	private static CancelHook add(OffloadCall<?> call, AutoCloseable action) {
		CancelHooks hooks = HOOKS.computeIfAbsent(call, CancelHooks::new);
		CancelHook hook = new CancelHook(hooks, action);
		if (!hooks.push(hook)) {
			hook.set(CancelHook.REMOVED);
		}
		// Pairs with fire(): the stopping thread sets the run state, then looks the hooks
		// up; this thread adds the hook, then reads the run state. One of the two sees
		// the other, so a hook added just as the body is interrupted is never forgotten.
		else if (call.isInterruptRequested()) {
			hook.close();
		}
		return hook;
	}

	/**
	 * Runs the call's hooks, newest first; on the thread that has just interrupted the
	 * running body, after the caller's future has completed.
	 * @param call the call
	 */
	static void fire(OffloadCall<?> call) {
		CancelHooks hooks = HOOKS.get(call);
		if (hooks != null) {
			hooks.fire();
		}
	}

	/**
	 * Removes the call's hooks for good, waiting for any that is running; on the worker,
	 * when the body has returned.
	 * @param call the call
	 */
	static void close(OffloadCall<?> call) {
		// A lock-free lookup: the common case, a body that registered no hook.
		if (HOOKS.get(call) != null) {
			CancelHooks hooks = HOOKS.remove(call);
			if (hooks != null) {
				hooks.closeAll();
			}
		}
	}

	/**
	 * Returns how many calls have hooks now, for tests.
	 */
	static int size() {
		return HOOKS.size();
	}

	private synchronized boolean push(CancelHook hook) {
		if (this.fired || this.closed) {
			return false;
		}
		if (this.size == this.hooks.length) {
			this.hooks = Arrays.copyOf(this.hooks, this.size * 2);
		}
		this.hooks[this.size++] = hook;
		return true;
	}

	synchronized void forget(CancelHook hook) {
		for (int i = this.size - 1; i >= 0; i--) {
			if (this.hooks[i] == hook) {
				System.arraycopy(this.hooks, i + 1, this.hooks, i, this.size - i - 1);
				this.hooks[--this.size] = null;
				return;
			}
		}
	}

	private void fire() {
		CancelHook[] snapshot;
		synchronized (this) {
			if (this.fired || this.closed) {
				return;
			}
			this.fired = true;
			snapshot = Arrays.copyOf(this.hooks, this.size);
		}
		for (int i = snapshot.length - 1; i >= 0; i--) {
			snapshot[i].run();
		}
	}

	private void closeAll() {
		CancelHook[] snapshot;
		synchronized (this) {
			this.closed = true;
			snapshot = Arrays.copyOf(this.hooks, this.size);
			Arrays.fill(this.hooks, null);
			this.size = 0;
		}
		for (CancelHook hook : snapshot) {
			hook.remove();
		}
	}

	/**
	 * Runs one hook's action; a failure is logged, not thrown.
	 */
	void runAction(AutoCloseable action) {
		run(this.call, action);
	}

	private static void run(OffloadCall<?> call, AutoCloseable action) {
		try {
			action.close();
		}
		catch (Throwable ex) {
			logger.warn("A cancel hook of the offloaded call to " + call.getSite().getDescription() + " on executor '"
					+ call.getSite().getExecutor().getName() + "' failed", ex);
		}
	}

}
