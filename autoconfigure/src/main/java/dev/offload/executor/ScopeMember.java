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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadScope;

/**
 * One member of a {@link DefaultOffloadScope}: its future, the offloaded calls made while
 * it was forked (so that the scope can cancel them), and how long its call held a thread.
 * <p>
 * While a member is being forked, it is the current thread's {@link #forking()} member:
 * {@link OffloadExecutor#submit} hands every call made meanwhile to {@link #adopt}. The
 * member hears of its completion from its call directly when its future is that call (the
 * common case, without a dependent stage), otherwise through {@code whenComplete}.
 *
 * @param <T> the type of the result
 */
final class ScopeMember<T> implements OffloadScope.Member<T>, BiConsumer<Object, Throwable> {

	/**
	 * The member being forked on the current thread. Set to the previous value rather
	 * than removed afterwards, which would cost a new map entry at the next fork.
	 */
	private static final ThreadLocal<@Nullable ScopeMember<?>> FORKING = new ThreadLocal<>();

	private static final long NOT_YET = Long.MIN_VALUE;

	private static final VarHandle DONE;

	static {
		try {
			DONE = MethodHandles.lookup().findVarHandle(ScopeMember.class, "done", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final DefaultOffloadScope scope;

	private final int index;

	private volatile @Nullable CompletableFuture<T> future;

	// The first call made for the member (usually its only one, and its future);
	// guarded by the scope's lock, read by workers after the hand-off.
	private volatile @Nullable ScopedCall<?> call;

	// Further calls made for the member; guarded by the scope's lock.
	private @Nullable List<ScopedCall<?>> moreCalls;

	// Set, under the scope's lock, once the scope cancels the member.
	private volatile @Nullable CancellationException cancellation;

	private volatile boolean done;

	private volatile long bodyStartNanos = NOT_YET;

	private volatile long bodyEndNanos = NOT_YET;

	ScopeMember(DefaultOffloadScope scope, int index) {
		this.scope = scope;
		this.index = index;
	}

	/**
	 * Returns the member being forked on the current thread.
	 * @return the member, or {@code null} outside a scope's {@code fork}
	 */
	static @Nullable ScopeMember<?> forking() {
		return FORKING.get();
	}

	/**
	 * Makes {@code member} the one being forked on the current thread.
	 * @return the member it replaces, to be passed back to {@link #endFork}
	 */
	static @Nullable ScopeMember<?> beginFork(ScopeMember<?> member) {
		ScopeMember<?> previous = FORKING.get();
		FORKING.set(member);
		return previous;
	}

	static void endFork(@Nullable ScopeMember<?> previous) {
		FORKING.set(previous);
	}

	DefaultOffloadScope getScope() {
		return this.scope;
	}

	/**
	 * Takes a call made while this member was being forked.
	 * @return whether the scope had cancelled the member already, in which case the call
	 * is now cancelled too and must not be run
	 */
	boolean adopt(ScopedCall<?> call) {
		CancellationException cancellation;
		synchronized (this.scope.lock()) {
			if (this.call == null) {
				this.call = call;
			}
			else {
				if (this.moreCalls == null) {
					this.moreCalls = new ArrayList<>(2);
				}
				this.moreCalls.add(call);
			}
			this.scope.callAdopted();
			cancellation = this.cancellation;
		}
		if (cancellation != null) {
			call.completeExceptionally(cancellation);
			return true;
		}
		return false;
	}

	/**
	 * Sets the member's future, once forked.
	 */
	void attach(CompletableFuture<T> future) {
		this.future = future;
		CancellationException cancellation = this.cancellation;
		if (cancellation != null) {
			future.completeExceptionally(cancellation);
		}
		if (future == this.call) {
			// Its call tells the member when it completes; it may have done so already.
			if (future.isDone()) {
				completed();
			}
		}
		else {
			future.whenComplete(this);
		}
	}

	/**
	 * Sets the future of a member added after the scope completed, already cancelled; the
	 * scope does not count it.
	 */
	void attachLate(CompletableFuture<T> future) {
		this.future = future;
		this.done = true;
	}

	@Override
	public void accept(Object value, Throwable ex) {
		completed();
	}

	void callCompleted(ScopedCall<?> call) {
		if (call == this.future) {
			completed();
		}
	}

	private void completed() {
		if (DONE.compareAndSet(this, false, true)) {
			this.scope.memberCompleted(this);
		}
	}

	void bodyStarted(ScopedCall<?> call) {
		if (call == this.call) {
			this.bodyStartNanos = System.nanoTime();
		}
	}

	void bodyEnded(ScopedCall<?> call) {
		if (call == this.call) {
			this.bodyEndNanos = System.nanoTime();
		}
	}

	void callReleased() {
		this.scope.callReleased();
	}

	/**
	 * Cancels the member, its future and every call made for it that has not completed.
	 * @param reason the message of the {@link CancellationException}
	 * @return whether the member was still running
	 */
	boolean cancel(String reason) {
		CompletableFuture<T> future;
		ScopedCall<?> call;
		List<ScopedCall<?>> moreCalls;
		CancellationException cancellation;
		synchronized (this.scope.lock()) {
			if (this.cancellation != null) {
				return false;
			}
			future = this.future;
			call = this.call;
			moreCalls = (this.moreCalls != null) ? new ArrayList<>(this.moreCalls) : null;
			if (future != null && future.isDone() && (call == null || call.isDone()) && moreCalls == null) {
				return false;
			}
			cancellation = new CancellationException(reason);
			this.cancellation = cancellation;
		}
		boolean running = future == null || !future.isDone();
		if (future != null) {
			future.completeExceptionally(cancellation);
		}
		if (call != null) {
			call.completeExceptionally(cancellation);
		}
		if (moreCalls != null) {
			moreCalls.forEach((more) -> more.completeExceptionally(cancellation));
		}
		return running;
	}

	/**
	 * Waits for the member's future and first call to complete. Called after the scope
	 * cancelled the member: a cancel that lost to a completion in progress on another
	 * thread (an outcome claimed, its listener running) sees the future complete within
	 * moments, and no user code runs in that window.
	 */
	void awaitCompletion() {
		CompletableFuture<T> future = this.future;
		ScopedCall<?> call = this.call;
		int spins = 0;
		while ((future != null && !future.isDone()) || (call != null && !call.isDone())) {
			if (++spins % 64 == 0) {
				Thread.yield();
			}
			else {
				Thread.onSpinWait();
			}
		}
	}

	/**
	 * Returns whether the member's call waits in a queue: made, not started, not
	 * complete.
	 */
	boolean isQueued() {
		ScopedCall<?> call = this.call;
		OffloadCall<?> queued = (call != null) ? call
				: (this.future instanceof OffloadCall<?> offloadCall) ? offloadCall : null;
		return queued != null && !queued.hasStarted() && !queued.isDone();
	}

	/**
	 * Returns whether a call made for the member has not completed; under the scope's
	 * lock.
	 */
	boolean hasUnfinishedCalls() {
		ScopedCall<?> call = this.call;
		return (call != null && !call.isDone()) || this.moreCalls != null;
	}

	boolean isCancelledByScope(@Nullable Throwable ex) {
		return ex != null && ex == this.cancellation;
	}

	boolean isDone() {
		CompletableFuture<T> future = this.future;
		return future != null && future.isDone();
	}

	@Override
	public String name() {
		return "#" + this.index + " " + describeCall();
	}

	private String describeCall() {
		ScopedCall<?> call = this.call;
		if (call != null) {
			return call.getSite().toString();
		}
		CompletableFuture<T> future = this.future;
		if (future instanceof OffloadCall<?> offloadCall) {
			return offloadCall.getSite().toString();
		}
		return (future != null) ? "(a " + future.getClass().getSimpleName() + ")" : "(being forked)";
	}

	@Override
	public State state() {
		CompletableFuture<T> future = this.future;
		if (future == null || !future.isDone()) {
			return State.RUNNING;
		}
		Throwable ex = exception();
		if (ex == null) {
			return State.SUCCEEDED;
		}
		return (ex instanceof CancellationException) ? State.CANCELLED : State.FAILED;
	}

	@Override
	public T get() {
		CompletableFuture<T> future = this.future;
		if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
			return future.join();
		}
		State state = state();
		throw new IllegalStateException(
				"Member " + name() + " of the offload scope has not succeeded: it is " + state.name().toLowerCase(),
				exception());
	}

	/**
	 * Returns the exception the future completed with, as it was given: read through
	 * {@code whenComplete}, which runs at once on a completed future, because
	 * {@code join()} wraps a {@link CancellationException} in a new one on Java 23+.
	 */
	@Override
	public @Nullable Throwable exception() {
		CompletableFuture<T> future = this.future;
		if (future == null || !future.isCompletedExceptionally()) {
			return null;
		}
		Throwable[] completedWith = new Throwable[1];
		future.whenComplete((value, ex) -> completedWith[0] = ex);
		Throwable ex = completedWith[0];
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	@Override
	public CompletableFuture<T> future() {
		CompletableFuture<T> future = this.future;
		if (future == null) {
			throw new IllegalStateException("Member " + name() + " is still being forked");
		}
		return future;
	}

	@Override
	public Duration heldThread() {
		long start = this.bodyStartNanos;
		if (start == NOT_YET) {
			return Duration.ZERO;
		}
		long end = this.bodyEndNanos;
		return Duration.ofNanos(((end != NOT_YET) ? end : System.nanoTime()) - start);
	}

	@Override
	public String toString() {
		return "Member[" + name() + ", " + state() + "]";
	}

}
