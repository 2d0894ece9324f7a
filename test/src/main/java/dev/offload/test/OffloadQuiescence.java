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

package dev.offload.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

import dev.offload.executor.InFlightCall;
import dev.offload.executor.OffloadExecutors;

/**
 * Waits until an application's offloaded calls are over, for tests: until no call is
 * queued, running or completing on every executor, or on the named ones, fire-and-forget
 * {@code void} calls included. A call counts until its future has completed and the
 * dependent stages the completing thread runs ({@code thenApply}, {@code whenComplete}, …
 * attached without an executor) have run, so that what they do is visible once
 * {@link #await()} returns.
 * <p>
 * In a {@code @SpringBootTest}, or a test slice annotated with
 * {@link dev.offload.test.autoconfigure.AutoConfigureOffload @AutoConfigureOffload}, it
 * is a bean:
 *
 * <pre class="code">
 * &#64;Autowired
 * OffloadQuiescence offload;
 *
 * &#64;Test
 * void auditsTheOrder() {
 *     this.orders.place(order);      // offloads a void audit call
 *     this.offload.await();          // fails, listing the calls, if they are not over in 10 s
 *     assertThat(this.audit.entries()).hasSize(1);
 * }
 * </pre>
 *
 * Elsewhere {@link #of(ApplicationContext)} or {@link #of(OffloadExecutors)} gives one.
 * {@link #sinceNow()} narrows the view to the calls made from then on, so that a test
 * waits for its own calls and not for those of the application's background jobs, and
 * {@link #onExecutors(String...)} to some executors.
 * <p>
 * On timeout, {@link #await(Duration)} throws an {@link AssertionError} whose message
 * lists each call still in flight: its method, executor, whether it is queued, running or
 * completing, and for how long it has been in flight. It waits for the calls, never
 * cancels them.
 * <p>
 * What it does not see: work a body hands to another thread by other means than
 * {@code @Offload} or the {@code Offloader} (a plain {@code Executor}, {@code @Async}),
 * and dependent stages attached with an executor ({@code thenApplyAsync}). With
 * {@code offload.enabled=false} there are no executors and every call has ended when it
 * returns: {@link #await()} returns at once.
 *
 * @since 0.1.0
 */
public final class OffloadQuiescence {

	/**
	 * How long {@link #await()} waits.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final @Nullable OffloadExecutors executors;

	private final Set<String> executorNames;

	private final @Nullable Long sinceNanos;

	private OffloadQuiescence(@Nullable OffloadExecutors executors, Set<String> executorNames,
			@Nullable Long sinceNanos) {
		this.executors = executors;
		this.executorNames = executorNames;
		this.sinceNanos = sinceNanos;
	}

	/**
	 * Returns the quiescence of the given executors: all their calls, whenever made.
	 * @param executors the application's offload executors
	 * @return the quiescence of every executor
	 */
	public static OffloadQuiescence of(OffloadExecutors executors) {
		return new OffloadQuiescence(executors, Collections.emptySet(), null);
	}

	/**
	 * Returns the quiescence of an application context's offload executors. A context
	 * without them ({@code offload.enabled=false}) is always quiet.
	 * @param context the application context
	 * @return the quiescence of every executor of the context
	 */
	public static OffloadQuiescence of(ApplicationContext context) {
		return new OffloadQuiescence(context.getBeanProvider(OffloadExecutors.class).getIfUnique(),
				Collections.emptySet(), null);
	}

	/**
	 * Returns a view of the calls made from now on only: those in flight now are left
	 * out, so that a test waits for (or checks) the calls it makes itself. Take it at the
	 * start of the test.
	 * @return the quiescence of the calls made from now on
	 */
	public OffloadQuiescence sinceNow() {
		return new OffloadQuiescence(this.executors, this.executorNames, System.nanoTime());
	}

	/**
	 * Returns a view of the calls on the named executors only.
	 * @param names the names of the executors
	 * @return the quiescence of those executors
	 * @throws IllegalArgumentException if an executor of that name is not configured
	 */
	public OffloadQuiescence onExecutors(String... names) {
		Set<String> selected = new LinkedHashSet<>(Arrays.asList(names));
		if (this.executors != null) {
			selected.forEach(this.executors::get);
		}
		return new OffloadQuiescence(this.executors, Collections.unmodifiableSet(selected), this.sinceNanos);
	}

	/**
	 * Returns the calls of this view in flight now: queued, running or completing.
	 * @return the calls, oldest first within each executor
	 */
	public List<InFlightCall> inFlightCalls() {
		if (this.executors == null) {
			return Collections.emptyList();
		}
		List<InFlightCall> calls = new ArrayList<>();
		for (InFlightCall call : this.executors.getInFlightCalls()) {
			if ((this.executorNames.isEmpty() || this.executorNames.contains(call.getExecutor()))
					&& (this.sinceNanos == null || call.startedSince(this.sinceNanos))) {
				calls.add(call);
			}
		}
		return calls;
	}

	/**
	 * Returns whether no call of this view is in flight now.
	 * @return whether the view is quiet
	 */
	public boolean isQuiet() {
		return inFlightCalls().isEmpty();
	}

	/**
	 * Waits until no call of this view is in flight, at most {@link #DEFAULT_TIMEOUT}.
	 * @throws AssertionError if calls are still in flight then, listing them
	 */
	public void await() {
		await(DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until no call of this view is in flight. Two snapshots in a row must find
	 * none, so that a call handed from one executor to another while the first snapshot
	 * is taken is not missed.
	 * @param timeout how long to wait; zero checks once
	 * @throws AssertionError if calls are still in flight when the timeout has passed
	 * (listing them), or if the waiting thread is interrupted
	 */
	public void await(Duration timeout) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		long pause = TimeUnit.MICROSECONDS.toNanos(100);
		int quietSnapshots = 0;
		for (;;) {
			List<InFlightCall> calls = inFlightCalls();
			if (calls.isEmpty()) {
				if (++quietSnapshots == 2) {
					return;
				}
				continue;
			}
			quietSnapshots = 0;
			if (System.nanoTime() - deadline >= 0) {
				throw new AssertionError(describe("still in flight after " + timeout.toMillis() + " ms", calls));
			}
			LockSupport.parkNanos(Math.min(pause, Math.max(1, deadline - System.nanoTime())));
			pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
			if (Thread.currentThread().isInterrupted()) {
				throw new AssertionError(describe("still in flight when the waiting thread was interrupted", calls));
			}
		}
	}

	/**
	 * Says what is in flight, one call a line, for a failure message.
	 * @param what what is wrong, e.g. "still in flight after 10000 ms"
	 * @param calls the calls in flight
	 * @return the message
	 */
	String describe(String what, List<InFlightCall> calls) {
		StringBuilder message = new StringBuilder().append(calls.size())
			.append((calls.size() == 1) ? " offloaded call " : " offloaded calls ")
			.append(what)
			.append(" (")
			.append(describeView())
			.append("):");
		for (InFlightCall call : calls) {
			message.append(System.lineSeparator()).append("  - ").append(call);
		}
		return message.toString();
	}

	private String describeView() {
		String executors = this.executorNames.isEmpty() ? "every executor"
				: "executors " + String.join(", ", this.executorNames);
		return (this.sinceNanos != null) ? executors + ", calls made since the mark" : executors;
	}

	@Override
	public String toString() {
		return "OffloadQuiescence[" + describeView() + "]";
	}

}
