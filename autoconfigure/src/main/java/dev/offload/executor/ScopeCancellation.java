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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import dev.offload.OffloadScope;

/**
 * How a {@link DefaultOffloadScope} acts on its decided outcome, on the thread that
 * decided it: cancels the members still running (queued ones first), waits for them, and
 * says why: the failure (with the other members' failures suppressed in it), the timeout
 * message, and one DEBUG line (logger {@code dev.offload.OffloadScope}) per group that
 * did not succeed, naming the members it cancelled. Static, so that it costs no object.
 */
final class ScopeCancellation {

	private static final Log logger = LogFactory.getLog(OffloadScope.class);

	private static final String CANCELLED_BY = "Cancelled by its offload scope: ";

	private ScopeCancellation() {
	}

	/**
	 * Cancels the future of a member added after the group completed, at once.
	 * @param why what the group had done, e.g. {@code failed}
	 */
	static <T> void cancelLate(ScopeMember<T> member, CompletableFuture<T> future, String why) {
		CancellationException ex = new CancellationException(
				"Not run: added to an offload scope that had already " + why + "; nothing may start after that");
		future.completeExceptionally(ex);
		member.attachLate(future);
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope member " + member.name() + " added after the scope had " + why
					+ "; it was cancelled at once");
		}
	}

	/**
	 * Cancels the calls made for a member whose future completed without them, once the
	 * group has completed.
	 */
	static void cancelCallsLeft(ScopeMember<?>[] members) {
		for (ScopeMember<?> member : members) {
			member.cancel(CANCELLED_BY + "the scope had completed without it");
		}
	}

	/**
	 * Cancels every member but the one that failed.
	 * @return the failure the group completes with
	 */
	static Throwable failFast(ScopeMember<?>[] members, ScopeMember<?> failed) {
		Throwable failure = failed.exception();
		Assert.state(failure != null, "No failure");
		String reason = CANCELLED_BY + "member " + failed.name() + " failed (" + failure + ")";
		List<String> cancelled = cancelAll(members, failed, reason);
		for (ScopeMember<?> member : members) {
			Throwable other = member.exception();
			if (member != failed && other != null && other != failure && !member.isCancelledByScope(other)) {
				failure.addSuppressed(other);
			}
		}
		awaitCompletion(members);
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope failed: member " + failed.name() + " failed with " + failure + "; cancelled "
					+ describe(cancelled));
		}
		return failure;
	}

	/**
	 * Cancels every member, as the deadline elapsed.
	 * @param openedNanos when the scope was opened
	 * @param scope the scope, to tell its own deadline from one it inherited
	 * @return the exception that says so, which a scope failing fast completes with
	 */
	static TimeoutException timeOut(ScopeMember<?>[] members, Deadline deadline, long openedNanos, Object scope) {
		String after = Deadline.format(deadline.getNanos() - openedNanos);
		String reason = CANCELLED_BY + "its deadline of " + after + " elapsed";
		List<String> cancelled = cancelAll(members, null, reason);
		List<String> running = new ArrayList<>();
		for (ScopeMember<?> member : members) {
			// Cancelled now, or timed out on the inherited deadline as it elapsed.
			if (cancelled.contains(member.name()) || member.exception() instanceof TimeoutException) {
				running.add(member.name());
			}
		}
		String inherited = (deadline.getOrigin() != scope)
				? " (the time left of the deadline it inherited from " + deadline.describeOrigin() + ")" : "";
		TimeoutException ex = new TimeoutException("Offload scope timed out after " + after + inherited + " with "
				+ running.size() + " of " + members.length + " member(s) still running"
				+ (running.isEmpty() ? "" : ": " + String.join(", ", running)));
		awaitCompletion(members);
		if (logger.isDebugEnabled()) {
			logger.debug(ex.getMessage());
		}
		return ex;
	}

	/**
	 * Cancels every member, as the group was cancelled; then completes the future its
	 * caller completed with a value, if any.
	 */
	static void cancel(ScopeMember<?>[] members, Throwable cause, @Nullable ScopeFuture<?> completedBy,
			@Nullable Object completedWith) {
		String reason = CANCELLED_BY + ((cause instanceof CancellationException) ? "the scope was cancelled"
				: "its future was completed with " + cause);
		List<String> cancelled = cancelAll(members, null, reason);
		awaitCompletion(members);
		if (completedBy != null) {
			completedBy.completeInternalWith(completedWith);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Offload scope cancelled (" + cause + "); cancelled " + describe(cancelled));
		}
	}

	/**
	 * Cancels every member but {@code except}: first those whose call waits in a queue,
	 * then the running ones, so that no worker freed by an interrupt takes a queued
	 * member before it is cancelled.
	 * @return the names of the members that were still running, in order
	 */
	private static List<String> cancelAll(ScopeMember<?>[] members, @Nullable ScopeMember<?> except, String reason) {
		boolean[] cancelled = new boolean[members.length];
		for (int i = 0; i < members.length; i++) {
			if (members[i] != except && members[i].isQueued()) {
				cancelled[i] = members[i].cancel(reason);
			}
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < members.length; i++) {
			if (members[i] != except && (cancelled[i] || members[i].cancel(reason))) {
				names.add(members[i].name());
			}
		}
		return names;
	}

	/**
	 * Waits until every member the group cancelled has completed, so that the group's
	 * future never completes before them.
	 */
	private static void awaitCompletion(ScopeMember<?>[] members) {
		for (ScopeMember<?> member : members) {
			member.awaitCompletion();
		}
	}

	private static String describe(List<String> cancelled) {
		return cancelled.isEmpty() ? "no other member"
				: cancelled.size() + " member(s): " + String.join(", ", cancelled);
	}

}
