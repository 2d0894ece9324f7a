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

/**
 * One offloaded call in flight, as seen at one moment: an immutable, read-only
 * description for tests and diagnostics, holding no reference to the call itself (only to
 * its site).
 * <p>
 * A call is in flight from its submission until its future has completed, the dependent
 * stages that the completing thread runs included, and its body, if it ran, has returned.
 * A snapshot is not atomic across executors: a call may end, or a new one start, while it
 * is taken.
 *
 * @since 0.1.0
 * @see OffloadExecutors#getInFlightCalls()
 */
public final class InFlightCall {

	/**
	 * Where a call in flight is in its life.
	 */
	public enum State {

		/** Waiting for a thread (or, on a virtual executor, a permit). */
		QUEUED("queued"),

		/** Its body is running on a worker. */
		RUNNING("running"),

		/**
		 * Its body has returned, or it never ran, and its future is being completed: the
		 * dependent stages the completing thread runs have not all run yet, or the future
		 * of a body that returned a stage is still pending.
		 */
		COMPLETING("completing");

		private final String value;

		State(String value) {
			this.value = value;
		}

		@Override
		public String toString() {
			return this.value;
		}

	}

	private final OffloadCallSite site;

	private final State state;

	private final boolean futureCompleted;

	private final long startNanos;

	private final Duration age;

	InFlightCall(OffloadCall<?> call, long nowNanos) {
		this.site = call.getSite();
		this.state = call.isBodyRunning() ? State.RUNNING
				: (call.hasStarted() || call.isDropped()) ? State.COMPLETING : State.QUEUED;
		this.futureCompleted = call.isDone();
		this.startNanos = call.getStartNanos();
		this.age = Duration.ofNanos(Math.max(0, nowNanos - this.startNanos));
	}

	/**
	 * Returns where the call was made: its method (class, name, description), whether it
	 * is fire-and-forget, its executor and timeout.
	 * @return the call site
	 */
	public OffloadCallSite getSite() {
		return this.site;
	}

	/**
	 * Returns the name of the executor the call was made on.
	 * @return the executor's name
	 */
	public String getExecutor() {
		return this.site.getExecutor().getName();
	}

	/**
	 * Returns where the call was in its life when the snapshot was taken.
	 * @return the state
	 */
	public State getState() {
		return this.state;
	}

	/**
	 * Returns whether the caller's future had completed when the snapshot was taken: a
	 * body may still run after its future completed (it timed out or was cancelled and
	 * ignores its interrupt), and the dependent stages may still be running.
	 * @return whether the future had completed
	 */
	public boolean isFutureCompleted() {
		return this.futureCompleted;
	}

	/**
	 * Returns when the call was made, as a {@link System#nanoTime()} reading, so that
	 * calls made after a given moment can be told apart.
	 * @return the call's start in nanoseconds, comparable with {@code System.nanoTime()}
	 */
	public long getStartNanos() {
		return this.startNanos;
	}

	/**
	 * Returns how long the call had been in flight when the snapshot was taken.
	 * @return the time since the call was made
	 */
	public Duration getAge() {
		return this.age;
	}

	/**
	 * Returns whether the call was made at or after the given moment.
	 * @param nanoTime a {@link System#nanoTime()} reading
	 * @return whether the call started then or later
	 */
	public boolean startedSince(long nanoTime) {
		return this.startNanos - nanoTime >= 0;
	}

	/**
	 * Describes the call in one line, e.g.
	 * {@code com.example.ReportService.render(String) on executor 'jdbc': running, in flight
	 * for 1203 ms}.
	 * @return the description
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.site.getDescription()).append(" on executor '")
			.append(getExecutor())
			.append("': ")
			.append(this.state)
			.append(", in flight for ")
			.append(this.age.toMillis())
			.append(" ms");
		if (this.futureCompleted && this.state != State.COMPLETING) {
			text.append(" (its future completed already)");
		}
		if (this.site.isFireAndForget()) {
			text.append(" (fire-and-forget)");
		}
		return text.toString();
	}

}
