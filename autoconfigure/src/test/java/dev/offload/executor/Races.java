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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.offload.executor.OffloadCallSite.TaskKind;

/**
 * Helpers shared by the race tests: call sites and bounded waits, through the public API
 * only, so that the tests survive changes inside the runtime.
 */
final class Races {

	private Races() {
	}

	static OffloadCallSite site(OffloadExecutor executor) {
		return site(executor, null);
	}

	static OffloadCallSite site(OffloadExecutor executor, @Nullable Duration timeout) {
		return new OffloadCallSite(executor, (timeout != null) ? timeout.toNanos() : 0, "dev.offload.race.Race", "call",
				"Race.call()", false, TaskKind.CALLABLE);
	}

	static <T> OffloadCall<T> call(OffloadCallSite site, Callable<T> body) {
		return site.submit(body);
	}

	/**
	 * Waits (bounded) for a future and returns how it ended, never throwing.
	 */
	static @Nullable Throwable failureOf(CompletableFuture<?> future) {
		try {
			future.get(5, TimeUnit.SECONDS);
			return null;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return ex.getCause();
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("The future was still incomplete after 5 s: " + future);
		}
		catch (java.util.concurrent.CancellationException ex) {
			return ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

	/**
	 * Returns whether the failure is the given exception or was caused by it, for
	 * failures the runtime may wrap (a propagator's, a decorator's).
	 */
	static boolean isOrWraps(@Nullable Throwable failure, @Nullable Throwable expected) {
		for (Throwable ex = failure; ex != null; ex = (ex.getCause() != ex) ? ex.getCause() : null) {
			if (ex == expected) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns the future's exception if it is done exceptionally, without waiting.
	 */
	static @Nullable Throwable exceptionNow(CompletableFuture<?> future) {
		if (!future.isCompletedExceptionally()) {
			return null;
		}
		try {
			future.join();
			return null;
		}
		catch (java.util.concurrent.CompletionException ex) {
			return ex.getCause();
		}
		catch (java.util.concurrent.CancellationException ex) {
			return ex;
		}
	}

}
