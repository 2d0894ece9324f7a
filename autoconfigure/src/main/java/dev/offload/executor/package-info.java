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

/**
 * The runtime: the named offload executors and the call that bridges a caller's future to
 * the task a worker runs. Internal: not API.
 * <p>
 * {@code OffloadCall} is one call (what the worker needs, its timeout and shutdown
 * cut-off), on top of {@code CallCompletion} (the caller's future, its outcome decided
 * once) and {@code CallRunState} (the run state machine and interrupt handshake): base
 * classes, so that a call stays one allocation. {@code CallRunner} runs it on the worker;
 * {@code CancelHooks} are the hooks of a running call, each a {@code CancelHook}.
 * {@code OffloadExecutor} is one named executor, on top of {@code ExecutorSettings} (what
 * it is configured with), whose calls {@code CallSubmission} submits, with
 * {@code InFlightCalls} (tracking), {@code CallAccounting} (outcomes, the listener and
 * the observer, whose per-call state is a {@code CallObservation}), {@code NestedCalls}
 * (the nested-call policy), {@code CallTimeouts} (timer and completion pool) and
 * {@code ExecutorShutdown} (the shutdown steps); {@code OffloadExecutors} is the registry
 * and its lifecycle.
 * <p>
 * {@code DefaultOffloadScope} is the {@code OffloadScope} API, on top of
 * {@code ScopeLifecycle} (the outcome decided once, then acted upon) and
 * {@code ScopeMembers} (the members and the calls that still hold a thread);
 * {@code ScopeCancellation} cancels the members once the outcome is decided and says why;
 * {@code ScopeFuture} is the scope's future. {@code ScopeMember} is a member (its future,
 * completion and state), on top of {@code MemberCalls} (the calls made for it, their
 * cancellation and the time its call held a thread); {@code ScopedCall} is a call made
 * where a deadline or a scope is in force, and {@code Deadline} that deadline.
 */
@NullMarked
package dev.offload.executor;

import org.jspecify.annotations.NullMarked;
