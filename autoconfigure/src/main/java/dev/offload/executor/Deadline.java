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

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A deadline in force on a thread: the moment a call's timeout elapses, or a scope's
 * deadline, which calls made meanwhile inherit. Immutable, so that every call that
 * inherits it can share it.
 *
 * @see OffloadExecutor#submit
 */
final class Deadline {

	private final long nanos;

	private final long lengthNanos;

	private final Object origin;

	/**
	 * Creates a deadline.
	 * @param nanos the {@link System#nanoTime()} at which it elapses
	 * @param lengthNanos how long its origin had, for messages
	 * @param origin the {@link OffloadCallSite} of the call whose timeout it is, or the
	 * {@link DefaultOffloadScope} whose deadline it is
	 */
	Deadline(long nanos, long lengthNanos, Object origin) {
		this.nanos = nanos;
		this.lengthNanos = lengthNanos;
		this.origin = origin;
	}

	long getNanos() {
		return this.nanos;
	}

	Object getOrigin() {
		return this.origin;
	}

	/**
	 * Returns the earlier of two deadlines; {@code later} wins a tie.
	 */
	static @Nullable Deadline earlier(@Nullable Deadline deadline, @Nullable Deadline other) {
		if (deadline == null) {
			return other;
		}
		if (other == null) {
			return deadline;
		}
		return (other.nanos - deadline.nanos <= 0) ? other : deadline;
	}

	/**
	 * Describes where the deadline comes from, e.g. {@code the call to Foo.bar() on
	 * executor 'jdbc' (timeout 800ms)}.
	 */
	String describeOrigin() {
		if (this.origin instanceof OffloadCallSite site) {
			return "the call to " + site.getDescription() + " on executor '" + site.getExecutor().getName()
					+ "' (timeout " + format(this.lengthNanos) + ")";
		}
		return this.origin + " (deadline " + format(this.lengthNanos) + ")";
	}

	/**
	 * Formats a duration as whole seconds or milliseconds: {@code 2s}, {@code 800ms}.
	 */
	static String format(long nanos) {
		long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
		return (millis % 1000 == 0 && millis != 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	@Override
	public String toString() {
		return "Deadline[" + describeOrigin() + "]";
	}

}
