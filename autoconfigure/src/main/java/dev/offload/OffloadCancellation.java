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

package dev.offload;

import dev.offload.executor.CancelHooks;

/**
 * Cancel hooks: what an offloaded body closes or aborts when its call is stopped, for
 * blocking calls that an interrupt does not end (a socket read, an
 * {@code HttpURLConnection}, a vendor client with an {@code abort()}).
 * <p>
 * A timeout, {@code cancel(true)} on the caller's future, or the cut-off at shutdown
 * interrupts the body. Most blocking I/O of the JDK and of third-party clients ignores
 * interrupts and goes on until it ends by itself, holding its worker thread (and whatever
 * it holds) all along. A body registers what would end it:
 *
 * <pre class="code">
 * HttpURLConnection connection = (HttpURLConnection) url.openConnection();
 * try (OffloadCancellation.Registration onCancel = OffloadCancellation.onCancel(connection::disconnect)) {
 *     return new String(connection.getInputStream().readAllBytes(), UTF_8);
 * }
 * </pre>
 *
 * The action:
 * <ul>
 * <li>runs when the call's running body is interrupted: its timeout elapses,
 * {@code cancel(true)}, {@code complete}/{@code completeExceptionally} by the caller, or
 * the cut-off at shutdown; not for {@code cancel(false)}, which leaves the body
 * alone;</li>
 * <li>runs on the thread that stops the call (a timeout-completion thread, the caller's
 * thread, the closing thread), after the caller's future has completed, so that a slow
 * action delays no one's timeout; keep it short (close, abort, disconnect);</li>
 * <li>runs at most once, and never once its registration is closed or the body has
 * returned: closing a registration whose action is running waits until it has run, so
 * that the resource it closes is not reused meanwhile;</li>
 * <li>runs at once, on the calling thread, if the call was stopped before the
 * registration;</li>
 * <li>that throws is logged at WARN with the call it belongs to; the call goes on.</li>
 * </ul>
 * Outside an offloaded body (on any other thread, or in a dependent stage that runs after
 * the body) nothing is registered and the action never runs.
 * <p>
 * JDBC statements need no hook: with {@code offload.jdbc.cancel-statements} (the
 * default), Offload registers {@code Statement.cancel()} for every statement an offloaded
 * body executes.
 *
 * @since 0.1.0
 */
public final class OffloadCancellation {

	private OffloadCancellation() {
	}

	/**
	 * Registers what to close or abort if the current offloaded call is stopped while its
	 * body runs.
	 * @param action the action, such as {@code socket::close} or
	 * {@code connection::disconnect}
	 * @return the registration, to close once the blocking part is over (best in a
	 * try-with-resources); a registration that does nothing on a thread that runs no
	 * offloaded body
	 */
	public static Registration onCancel(AutoCloseable action) {
		return CancelHooks.register(action);
	}

	/**
	 * A registered cancel hook.
	 *
	 * @since 0.1.0
	 */
	public interface Registration extends AutoCloseable {

		/**
		 * Removes the hook: its action will not run from now on. If the action is running
		 * on another thread, waits until it has run.
		 */
		@Override
		void close();

	}

}
