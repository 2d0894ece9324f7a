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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * One member of a {@link DefaultOffloadScope} as the API sees it: its future, its
 * completion (told to the scope once), its state, result and name. The offloaded calls
 * made while it was forked, which the scope can cancel, and how long its call held a
 * thread are in its base class, {@link MemberCalls}.
 * <p>
 * While a member is being forked, it is the current thread's {@link #forking()} member:
 * {@link OffloadExecutor#submit} hands every call made meanwhile to {@link #adopt}. The
 * member hears of its completion from its call directly when its future is that call (the
 * common case, without a dependent stage), otherwise through {@code whenComplete}.
 *
 * @param <T> the type of the result
 */
final class ScopeMember<T> extends MemberCalls<T> implements BiConsumer<Object, Throwable> {

	/**
	 * The member being forked on the current thread. Set to the previous value rather
	 * than removed afterwards, which would cost a new map entry at the next fork.
	 */
	private static final ThreadLocal<@Nullable ScopeMember<?>> FORKING = new ThreadLocal<>();

	private static final VarHandle DONE;

	static {
		try {
			DONE = MethodHandles.lookup().findVarHandle(ScopeMember.class, "done", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final int index;

	private volatile boolean done;

	ScopeMember(ScopeLifecycle scope, int index) {
		super(scope);
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
	public String toString() {
		return "Member[" + name() + ", " + state() + "]";
	}

}
