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

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.offload.context.ContextPropagator;

/**
 * Runs an {@link OffloadCall}'s body on the thread that took it: installs the caller's
 * context, runs the body (inside any {@code TaskDecorator}), reads its result, completes
 * the call and puts the thread back exactly as it was.
 * <p>
 * Nothing thrown on the way escapes to the thread: a failure before the body ran (the
 * context could not be installed) or after it (its result could not be read) completes
 * the call exceptionally instead, so that no worker dies and no future is left
 * incomplete.
 *
 * @see OffloadCall
 */
final class CallRunner {

	private static final Log logger = LogFactory.getLog(CallRunner.class);

	/**
	 * The call whose body runs on the current thread, so that a nested offload can tell
	 * that it comes from a worker of the same executor. Set to {@code null} rather than
	 * removed after a call, which would cost a new map entry on the next.
	 */
	private static final ThreadLocal<@Nullable OffloadCall<?>> CURRENT = new ThreadLocal<>();

	private CallRunner() {
	}

	/**
	 * Returns the call whose body runs on the current thread.
	 * @return the call, or {@code null} if the current thread runs none
	 */
	static @Nullable OffloadCall<?> current() {
		return CURRENT.get();
	}

	/**
	 * Runs a call that the current thread has just taken.
	 * @param call the call, in its running state
	 */
	static void run(OffloadCall<?> call) {
		Thread current = Thread.currentThread();
		OffloadExecutor executor = call.getSite().getExecutor();
		ContextPropagator propagator = executor.getContextPropagator();
		// Not null when the call runs inside another call's body on this thread (a nested
		// call run inline): that body's interrupt must survive this call's clean-up.
		OffloadCall<?> outer = CURRENT.get();
		boolean outerInterrupted = outer != null && current.isInterrupted();
		Object restored = null;
		boolean installed = false;
		try {
			CURRENT.set(call);
			executor.getAccounting().callStarted(call);
			restored = propagator.restore(call.getContext());
			installed = true;
			Runnable decorated = call.getDecorated();
			if (decorated == null) {
				runBody(call);
			}
			else {
				runDecorated(call, decorated);
			}
		}
		catch (Throwable ex) {
			// Taken by the worker, but the context could not be installed: no body ran.
			call.takeTask();
			call.endRun();
			call.finish(null, ex, OffloadOutcome.ERROR, false);
		}
		finally {
			try {
				if (installed) {
					propagator.reset(restored);
				}
			}
			catch (Throwable ex) {
				logger.warn("Could not reset the worker's context after the offloaded call to "
						+ call.getSite().getDescription(), ex);
			}
			finally {
				CURRENT.set(outer);
				if (outer != null && (outerInterrupted || outer.isInterruptRequested())) {
					current.interrupt();
				}
			}
		}
	}

	/**
	 * Runs the body and completes the caller's future; on the worker, inside the caller's
	 * context and inside any {@code TaskDecorator}.
	 * @param call the call
	 */
	static void runBody(OffloadCall<?> call) {
		Object task = call.takeTask();
		if (task == null) {
			return;
		}
		Object result = null;
		Throwable failure = null;
		OffloadExecutor executor = call.getSite().getExecutor();
		// An adaptive executor's limiter samples the body's own run time: from here to
		// its return, after any wait in the queue and before the dependent stages.
		CallLimiter limiter = executor.getLimiter();
		int inFlight = (limiter != null) ? limiter.bodyStarted() : 0;
		long started = (limiter != null) ? System.nanoTime() : 0L;
		// The call's own observation is in scope around the body only: dependent stages
		// run at completion see the caller's, like the body of an unobserved call.
		Object scope = null;
		try {
			scope = executor.getAccounting().openScope(call);
			result = invoke(call.getSite().getTaskKind(), task);
			if (result instanceof Future<?> future && !(result instanceof CompletionStage<?>)) {
				result = future.get();
			}
		}
		catch (ExecutionException ex) {
			failure = (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			if (scope != null) {
				executor.getAccounting().closeScope(call, scope);
			}
			if (limiter != null) {
				limiter.bodyEnded(System.nanoTime() - started, inFlight, call.getOutcome(), failure);
			}
		}
		call.endRun();
		try {
			if (failure != null) {
				call.finish(null, failure, OffloadOutcome.ERROR, false);
			}
			else if (call.isCutOff()) {
				// Cut off at shutdown: a value returned after the interrupt is no
				// success.
				call.finish(null, call.cutOffException(), OffloadOutcome.CANCELLED, false);
			}
			else {
				settle(call, result);
			}
		}
		catch (Throwable ex) {
			// The body's result could not be read (a CompletionStage that throws).
			call.finish(null, ex, OffloadOutcome.ERROR, false);
		}
	}

	/**
	 * Runs the body inside a {@code TaskDecorator}'s runnable. A decorator that throws,
	 * or that does not run the body at all, still leaves the future completed.
	 */
	private static void runDecorated(OffloadCall<?> call, Runnable decorated) {
		Throwable failure = null;
		try {
			decorated.run();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		if (call.takeTask() != null || call.isBodyRunning()) {
			call.endRun();
			call.finish(null,
					(failure != null) ? failure : new IllegalStateException(
							"A TaskDecorator did not run the offloaded call to " + call.getSite().getDescription()),
					OffloadOutcome.ERROR, false);
		}
		else if (failure != null) {
			logger.warn("A TaskDecorator failed after the offloaded call to " + call.getSite().getDescription(),
					failure);
		}
	}

	private static @Nullable Object invoke(OffloadCallSite.TaskKind kind, Object task) throws Throwable {
		switch (kind) {
			case INVOCATION:
				return ((MethodInvocation) task).proceed();
			case CALLABLE:
				return ((Callable<?>) task).call();
			default:
				((Runnable) task).run();
				return null;
		}
	}

	/**
	 * Completes the call with the body's result. Only a plain {@link CompletableFuture}
	 * may be asked whether it is done: other stages (such as
	 * {@link CompletableFuture#completedStage}) throw, so they are awaited through
	 * {@code whenComplete}.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void settle(OffloadCall call, @Nullable Object result) {
		if (result != null && result.getClass() == CompletableFuture.class) {
			CompletableFuture<?> future = (CompletableFuture<?>) result;
			if (future.isDone() && !future.isCompletedExceptionally()) {
				call.finish(future.getNow(null), null, OffloadOutcome.SUCCESS, false);
				return;
			}
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, ex) -> {
				if (ex == null) {
					call.finish(value, null, OffloadOutcome.SUCCESS, false);
				}
				else {
					Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
					OffloadOutcome outcome = (cause instanceof CancellationException) ? OffloadOutcome.CANCELLED
							: OffloadOutcome.ERROR;
					call.finish(null, cause, outcome, false);
				}
			});
		}
		else {
			call.finish(result, null, OffloadOutcome.SUCCESS, false);
		}
	}

}
