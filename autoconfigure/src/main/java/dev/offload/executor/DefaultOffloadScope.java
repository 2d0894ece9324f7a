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
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;
import dev.offload.Offloader;

/**
 * The {@link OffloadScope} of the {@link Offloader}s in this package: a group of members
 * whose outcome is decided exactly once, under one lock (see {@link ScopeLifecycle}).
 * This class is the API on top: forking and adding members, joining, cancelling, and the
 * deadline.
 * <p>
 * The deadline is a timer on the registry's timeout thread, which only triggers: the
 * group is completed on a timeout-completion thread, like a timed-out call. Without a
 * timer (the {@code Offloader} of {@code offload.enabled=false}), the deadline is checked
 * whenever a member is added and at {@code join}.
 * <p>
 * One DEBUG line (logger {@code dev.offload.OffloadScope}) per group that did not succeed
 * says why, and which members it cancelled (see {@link ScopeCancellation}).
 */
final class DefaultOffloadScope extends ScopeLifecycle implements Runnable {

	private final Offloader offloader;

	private final @Nullable Deadline deadline;

	private final @Nullable CallTimeouts timeouts;

	// Guarded by the scope's lock.
	private @Nullable ScopeFuture<?> joinedFuture;

	private @Nullable Supplier<?> joinedResult;

	/**
	 * Opens a scope.
	 * @param offloader the offloader for {@link #call(Callable)} and the executor names
	 * of {@link #call(String, Callable)}
	 * @param policy how the group treats a member's failure
	 * @param deadline the group's own deadline, or {@code null}
	 * @param timeouts the timer for the deadline, or {@code null} to check it lazily
	 */
	DefaultOffloadScope(Offloader offloader, Policy policy, @Nullable Duration deadline,
			@Nullable CallTimeouts timeouts) {
		super(policy);
		Assert.isTrue(deadline == null || (!deadline.isNegative() && !deadline.isZero()),
				"'deadline' must be positive");
		this.offloader = offloader;
		this.timeouts = timeouts;
		long now = this.openedNanos;
		Deadline own = (deadline != null) ? new Deadline(now + deadline.toNanos(), deadline.toNanos(), this) : null;
		this.deadline = Deadline.earlier(inForce(), own);
		if (this.deadline != null && timeouts != null) {
			long remaining = this.deadline.getNanos() - now;
			if (remaining <= 0) {
				expire();
			}
			else {
				try {
					this.timer = timeouts.schedule(this, remaining);
				}
				catch (RejectedExecutionException ex) {
					// Shut down: the deadline is checked lazily, and members are
					// rejected.
				}
			}
		}
	}

	/**
	 * Returns the deadline in force on the current thread: that of the call whose body
	 * runs here, or of the scope whose member is being forked, whichever is earlier.
	 */
	static @Nullable Deadline inForce() {
		OffloadCall<?> current = CallRunner.current();
		Deadline deadline = (current != null && current.isBodyRunning()) ? current.getDeadline() : null;
		ScopeMember<?> member = ScopeMember.forking();
		return (member != null) ? Deadline.earlier(deadline, member.getScope().getDeadlineInForce()) : deadline;
	}

	@Override
	@Nullable Deadline getDeadlineInForce() {
		return this.deadline;
	}

	@Override
	public @Nullable Duration getDeadline() {
		Deadline deadline = this.deadline;
		return (deadline != null) ? Duration.ofNanos(deadline.getNanos() - this.openedNanos) : null;
	}

	@Override
	public <T> Member<T> fork(Callable<? extends CompletionStage<T>> call) {
		Assert.notNull(call, "'call' must not be null");
		ScopeMember<T> member = newMember();
		if (member == null) {
			return lateMember(new CompletableFuture<>());
		}
		ScopeMember<?> previous = ScopeMember.beginFork(member);
		CompletableFuture<T> future;
		try {
			CompletionStage<T> stage = call.call();
			future = (stage != null) ? stage.toCompletableFuture() : CompletableFuture
				.failedFuture(new NullPointerException(
						"The call of offload scope member " + member.name() + " returned null instead of a future"));
		}
		catch (Throwable ex) {
			future = CompletableFuture.failedFuture(ex);
		}
		finally {
			ScopeMember.endFork(previous);
		}
		member.attach(future);
		return member;
	}

	@Override
	public <T> Member<T> add(CompletionStage<T> call) {
		Assert.notNull(call, "'call' must not be null");
		CompletableFuture<T> future = call.toCompletableFuture();
		ScopeMember<T> member = newMember();
		if (member == null) {
			return lateMember(future);
		}
		member.attach(future);
		return member;
	}

	@Override
	public <T> Member<T> call(Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		Offloader offloader = this.offloader;
		return fork(() -> offloader.call(task));
	}

	@Override
	public <T> Member<T> call(String executor, Callable<T> task) {
		Assert.notNull(task, "'task' must not be null");
		Offloader offloader = this.offloader.executor(executor);
		return fork(() -> offloader.call(task));
	}

	@Override
	public <R> CompletableFuture<R> join(Supplier<? extends R> result) {
		Assert.notNull(result, "'result' must not be null");
		ScopeFuture<R> joined = new ScopeFuture<>(this);
		boolean direct;
		synchronized (lock()) {
			// The first is completed by complete() itself; any other through a stage.
			direct = !isDecided() && this.joinedFuture == null;
			if (direct) {
				this.joinedFuture = joined;
				this.joinedResult = result;
			}
		}
		if (!direct) {
			this.future.whenComplete((done, ex) -> completeJoined(joined, result, ex));
		}
		join();
		return joined;
	}

	private static void completeJoined(ScopeFuture<?> joined, Supplier<?> result, @Nullable Throwable failure) {
		if (failure != null) {
			joined.completeInternal(null, failure);
			return;
		}
		try {
			joined.completeInternalWith(result.get());
		}
		catch (Throwable ex) {
			joined.completeInternal(null, ex);
		}
	}

	/**
	 * Completes the group's future, then the first future of {@code join(result)}.
	 */
	@Override
	void complete(@Nullable Throwable failure) {
		this.future.completeInternal(null, failure);
		ScopeFuture<?> joined;
		Supplier<?> result;
		synchronized (lock()) {
			joined = this.joinedFuture;
			result = this.joinedResult;
		}
		if (joined != null && result != null) {
			completeJoined(joined, result, failure);
		}
	}

	@Override
	public void await() throws InterruptedException, ExecutionException {
		try {
			join().get();
		}
		catch (InterruptedException ex) {
			cancelBy(new CancellationException(
					"The thread waiting for the offload scope was interrupted; the scope was cancelled"));
			throw ex;
		}
	}

	@Override
	public boolean cancel() {
		return cancelBy(new CancellationException("The offload scope was cancelled"));
	}

	@Override
	public void close() {
		cancelBy(new CancellationException("The offload scope was closed before it completed"));
	}

	/**
	 * Called on the timer thread when the deadline elapses: completes the group away from
	 * it, as for a timed-out call.
	 */
	@Override
	public void run() {
		CallTimeouts timeouts = this.timeouts;
		if (timeouts != null) {
			timeouts.completeLater(this::expire);
		}
		else {
			expire();
		}
	}

	@Override
	public String toString() {
		return "an offload scope";
	}

}
