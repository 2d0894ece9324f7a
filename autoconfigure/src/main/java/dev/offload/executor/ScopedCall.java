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

import org.jspecify.annotations.Nullable;

/**
 * An offloaded call made where a deadline or an {@link dev.offload.OffloadScope} is in
 * force: from a body whose call has a deadline, or inside
 * {@link dev.offload.OffloadScope#fork}. Only such calls pay for what this class adds;
 * every other call is a plain {@link OffloadCall}.
 * <ul>
 * <li>It carries the deadline it inherited, when that is earlier than its own timeout, so
 * that calls made from its body inherit it in turn, and its timeout's message says where
 * the deadline came from.</li>
 * <li>As the call of a scope's member it tells the member when its body starts and ends
 * and when its future completes, so that the scope can cancel it, count it and know when
 * no thread is held for it any more.</li>
 * </ul>
 *
 * @param <T> the type of the result
 */
final class ScopedCall<T> extends OffloadCall<T> {

	private static final VarHandle RELEASED;

	static {
		try {
			RELEASED = MethodHandles.lookup().findVarHandle(ScopedCall.class, "released", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final @Nullable Deadline deadline;

	private final @Nullable ScopeMember<?> member;

	private volatile boolean released;

	/**
	 * Creates a call.
	 * @param deadline the deadline it inherited, earlier than its own timeout, or
	 * {@code null} to keep its own timeout
	 * @param member the scope's member it was made for, or {@code null}
	 */
	ScopedCall(OffloadCallSite site, Object task, long startNanos, @Nullable Deadline deadline,
			@Nullable ScopeMember<?> member) {
		super(site, task, startNanos);
		this.deadline = deadline;
		this.member = member;
	}

	@Override
	@Nullable Deadline getDeadline() {
		return (this.deadline != null) ? this.deadline : super.getDeadline();
	}

	/**
	 * No timer for the deadline of the scope the call is a member of: the scope cancels
	 * its members itself when its deadline elapses.
	 */
	@Override
	long getTimerNanos(long now) {
		Deadline deadline = this.deadline;
		if (deadline == null) {
			return super.getTimerNanos(now);
		}
		ScopeMember<?> member = this.member;
		if (member != null && member.getScope().getDeadlineInForce() == deadline) {
			return 0;
		}
		long remaining = deadline.getNanos() - now;
		return (remaining > 0) ? remaining : -1;
	}

	@Override
	String describeTimeout() {
		Deadline deadline = this.deadline;
		if (deadline == null) {
			return super.describeTimeout();
		}
		return "timed out after " + Deadline.format(deadline.getNanos() - getStartNanos())
				+ ", the time left of the deadline it inherited from " + deadline.describeOrigin() + ",";
	}

	@Override
	public void run() {
		if (tryStart()) {
			ScopeMember<?> member = this.member;
			if (member != null) {
				member.bodyStarted(this);
			}
			CallRunner.run(this);
		}
	}

	@Override
	void endRun() {
		super.endRun();
		ScopeMember<?> member = this.member;
		if (member != null) {
			member.bodyEnded(this);
			releaseIfQuiet(member);
		}
	}

	@Override
	void afterCompletion() {
		ScopeMember<?> member = this.member;
		if (member != null) {
			member.callCompleted(this);
			releaseIfQuiet(member);
		}
	}

	/**
	 * Tells the member, once, that the call holds no thread any more: its future is
	 * complete and its body has returned or never ran.
	 */
	private void releaseIfQuiet(ScopeMember<?> member) {
		if (isDone() && !isBodyRunning() && RELEASED.compareAndSet(this, false, true)) {
			member.callReleased();
		}
	}

}
