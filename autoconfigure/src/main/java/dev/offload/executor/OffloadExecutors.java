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
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The registry of named offload executors. It owns their lifecycle and the one thread
 * that fires timeouts. The executors are deliberately not beans: Spring Boot would
 * otherwise back off its own {@code applicationTaskExecutor} and bind its executor
 * metrics to them a second time.
 * <p>
 * Shutdown runs in the same lifecycle phase as Spring's own executors, after the web
 * server has stopped taking requests and before the beans the calls use (a
 * {@code DataSource}, say) are destroyed: every executor stops accepting calls at once,
 * calls in flight get the executor's {@code await-termination} to finish, then calls that
 * never started are rejected and running bodies interrupted; a body that ignores its
 * interrupt for {@link #INTERRUPT_GRACE_MILLIS} has its future completed exceptionally.
 * When {@link #stop()} returns, no future is incomplete.
 *
 * @since 0.1.0
 */
public class OffloadExecutors implements SmartLifecycle, DisposableBean {

	/**
	 * The lifecycle phase, the same as Spring's own executors.
	 */
	public static final int PHASE = Integer.MAX_VALUE / 2;

	/**
	 * How long interrupted bodies get to end after {@code await-termination} has passed.
	 */
	public static final long INTERRUPT_GRACE_MILLIS = 1000;

	private static final Log logger = LogFactory.getLog(OffloadExecutors.class);

	private final Map<String, OffloadExecutor> executors;

	private final OffloadExecutor defaultExecutor;

	private final CallTimeouts timeouts = new CallTimeouts();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	private volatile boolean closed;

	/**
	 * Creates a registry that owns the given executors.
	 * @param executors the executors, in the order of their configuration
	 * @param defaultExecutorName the name of the executor for calls that name none
	 */
	public OffloadExecutors(Collection<OffloadExecutor> executors, String defaultExecutorName) {
		Map<String, OffloadExecutor> byName = new LinkedHashMap<>();
		executors.forEach((executor) -> byName.put(executor.getName(), executor));
		this.executors = Collections.unmodifiableMap(byName);
		OffloadExecutor defaultExecutor = byName.get(defaultExecutorName);
		if (defaultExecutor == null) {
			throw new IllegalArgumentException("No executor named '" + defaultExecutorName + "'");
		}
		this.defaultExecutor = defaultExecutor;
		executors.forEach((executor) -> executor.setTimeouts(this.timeouts));
	}

	CallTimeouts getTimeouts() {
		return this.timeouts;
	}

	/**
	 * Returns the executor for calls that name none.
	 * @return the default executor
	 */
	public OffloadExecutor getDefaultExecutor() {
		return this.defaultExecutor;
	}

	/**
	 * Returns the executor of the given name.
	 * @param name the name
	 * @return the executor, or {@code null} if none is configured with that name
	 */
	public @Nullable OffloadExecutor find(String name) {
		return this.executors.get(name);
	}

	/**
	 * Returns the executor of the given name.
	 * @param name the name
	 * @return the executor
	 * @throws IllegalArgumentException if none is configured with that name
	 */
	public OffloadExecutor get(String name) {
		OffloadExecutor executor = this.executors.get(name);
		if (executor == null) {
			throw new IllegalArgumentException("No offload executor named '" + name + "'. Configured executors: "
					+ String.join(", ", getNames()) + ". Configure it under offload.executors." + name);
		}
		return executor;
	}

	/**
	 * Returns the names of the executors, in the order of their configuration.
	 * @return the names
	 */
	public List<String> getNames() {
		return new ArrayList<>(this.executors.keySet());
	}

	/**
	 * Returns the executors by name, in the order of their configuration.
	 * @return the executors
	 */
	public Map<String, OffloadExecutor> getExecutors() {
		return this.executors;
	}

	/**
	 * Describes every call in flight on every executor: queued, running, or completing
	 * (its future's dependent stages not yet run). A read-only snapshot, for tests that
	 * wait until the application is quiet and for diagnostics; it changes nothing.
	 * @return the calls, by executor in the order of their configuration, the oldest
	 * first within an executor
	 * @see InFlightCall
	 */
	public List<InFlightCall> getInFlightCalls() {
		long now = System.nanoTime();
		List<InFlightCall> calls = new ArrayList<>();
		this.executors.values().forEach((executor) -> calls.addAll(executor.getInFlight().describe(now)));
		return Collections.unmodifiableList(calls);
	}

	/**
	 * Sets the listener told about every call on every executor.
	 * @param callListener the listener
	 */
	public void setCallListener(OffloadCallListener callListener) {
		this.executors.values().forEach((executor) -> executor.setCallListener(callListener));
	}

	/**
	 * Sets the observer of every call on every executor, such as the one that makes each
	 * call a Micrometer observation. Set at startup, before the first call; calls made
	 * before are not observed.
	 * @param callObserver the observer
	 */
	public void setCallObserver(OffloadCallObserver callObserver) {
		this.executors.values().forEach((executor) -> executor.getAccounting().setObserver(callObserver));
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Not pauseable: a stopped pool cannot be started again, so a context pause (Spring
	 * Framework 7's test context cache pauses an unused context) must leave the executors
	 * running rather than shut them for good. They still stop on close and on an explicit
	 * context-wide stop. No {@code @Override}: the method is new in Framework 7, and on
	 * 6.2 (Spring Boot 3.5) nothing calls it because a context is never paused there.
	 * @return {@code false}
	 */
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		close();
	}

	/**
	 * Shuts every executor down; see the class description. Idempotent.
	 */
	public void close() {
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			if (this.closed) {
				return;
			}
			this.closed = true;
			// An interrupt of the closing thread must not cut the calls'
			// await-termination
			// short: wait regardless, and hand the interrupt back at the end.
			boolean interrupted = Thread.interrupted();
			try {
				interrupted |= shutDown();
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	/**
	 * Shuts every executor down in one shared await-termination window.
	 * @return whether the closing thread was interrupted while it waited
	 */
	private boolean shutDown() {
		long start = System.nanoTime();
		Collection<OffloadExecutor> executors = this.executors.values();
		executors.forEach(OffloadExecutor::beginShutdown);
		Interrupts interrupts = new Interrupts();
		boolean cut = false;
		for (OffloadExecutor executor : executors) {
			if (!interrupts.awaitQuiet(executor, start + executor.getAwaitTermination().toNanos())) {
				ExecutorShutdown.cutOff(executor);
				cut = true;
			}
		}
		if (cut) {
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERRUPT_GRACE_MILLIS);
			for (OffloadExecutor executor : executors) {
				interrupts.awaitQuiet(executor, deadline);
			}
			executors.forEach(ExecutorShutdown::forceComplete);
		}
		this.timeouts.shutdown();
		if (logger.isDebugEnabled()) {
			logger.debug("Offload executors shut down in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
					+ " ms");
		}
		return interrupts.seen;
	}

	/**
	 * Waits through interrupts, remembering that there was one.
	 */
	private static final class Interrupts {

		private boolean seen;

		boolean awaitQuiet(OffloadExecutor executor, long deadlineNanos) {
			for (;;) {
				try {
					return ExecutorShutdown.awaitQuiet(executor, deadlineNanos);
				}
				catch (InterruptedException ex) {
					this.seen = true;
				}
			}
		}

	}

}
