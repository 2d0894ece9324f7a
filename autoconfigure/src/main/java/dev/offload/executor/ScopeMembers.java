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
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.offload.OffloadScope;

/**
 * The members of a {@link DefaultOffloadScope}, in the order they were added, registered
 * under the scope's lock; and the calls made for them that still hold a thread, so that
 * {@link #released()} completes once none does after the outcome is decided.
 * <p>
 * A base class of the scope rather than an object of its own, so that a scope stays one
 * allocation.
 */
abstract class ScopeMembers implements OffloadScope {

	private static final ScopeMember<?>[] NO_MEMBERS = {};

	// This scope is the lock that guards the fields below and every member's calls.
	private ScopeMember<?>[] members = new ScopeMember<?>[4];

	private int size;

	private int unreleased;

	private @Nullable CompletableFuture<Void> released;

	Object lock() {
		return this;
	}

	/**
	 * Returns whether the group's outcome is decided; under the lock.
	 */
	abstract boolean isDecided();

	/**
	 * Returns how many members were added; under the lock.
	 */
	int memberCount() {
		return this.size;
	}

	/**
	 * Adds a member; under the lock.
	 */
	void register(ScopeMember<?> member) {
		if (this.size == this.members.length) {
			this.members = Arrays.copyOf(this.members, this.size * 2);
		}
		this.members[this.size++] = member;
	}

	/**
	 * Returns a copy of the members; under the lock.
	 */
	ScopeMember<?>[] snapshot() {
		return Arrays.copyOf(this.members, this.size);
	}

	/**
	 * Returns the members with calls still running although their future completed
	 * (usually none, and then without allocating); under the lock.
	 */
	ScopeMember<?>[] unfinishedCalls() {
		ScopeMember<?>[] unfinished = NO_MEMBERS;
		for (int i = 0; i < this.size; i++) {
			if (this.members[i].hasUnfinishedCalls()) {
				unfinished = Arrays.copyOf(unfinished, unfinished.length + 1);
				unfinished[unfinished.length - 1] = this.members[i];
			}
		}
		return unfinished;
	}

	void callAdopted() {
		this.unreleased++;
	}

	void callReleased() {
		CompletableFuture<Void> released;
		synchronized (lock()) {
			this.unreleased--;
			released = (isDecided() && this.unreleased == 0) ? this.released : null;
		}
		if (released != null) {
			released.complete(null);
		}
	}

	/**
	 * Completes {@link #released()} if no call holds a thread; once the outcome is
	 * decided and acted upon.
	 */
	void completeReleasedIfQuiet() {
		CompletableFuture<Void> released;
		synchronized (lock()) {
			released = (this.unreleased == 0) ? this.released : null;
		}
		if (released != null) {
			released.complete(null);
		}
	}

	@Override
	public CompletableFuture<Void> released() {
		CompletableFuture<Void> released;
		boolean complete;
		synchronized (lock()) {
			released = this.released;
			if (released == null) {
				released = new CompletableFuture<>();
				this.released = released;
			}
			complete = isDecided() && this.unreleased == 0;
		}
		if (complete) {
			released.complete(null);
		}
		return released;
	}

	@Override
	public List<Member<?>> members() {
		synchronized (lock()) {
			return List.of(snapshot());
		}
	}

}
