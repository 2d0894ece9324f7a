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
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The calls of one executor that are in flight: submitted, and either their future is not
 * complete or their body still runs. Shutdown finds them here, wherever the underlying
 * executor keeps them, and waits until there are none.
 * <p>
 * A call is added before the executor checks for shutdown, so that a closing thread
 * either sees the call or the call sees the shutdown; it is removed only after its future
 * is complete, so that {@code close()} cannot return while a future is incomplete.
 *
 * @see OffloadExecutors#close()
 */
final class InFlightCalls {

	private final Set<OffloadCall<?>> calls = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private volatile boolean closing;

	int size() {
		return this.calls.size();
	}

	boolean isEmpty() {
		return this.calls.isEmpty();
	}

	void add(OffloadCall<?> call) {
		this.calls.add(call);
	}

	/**
	 * Forgets a call; wakes a closing thread waiting for the executor to become quiet.
	 */
	void remove(OffloadCall<?> call) {
		if (this.calls.remove(call) && this.closing) {
			synchronized (this.monitor) {
				this.monitor.notifyAll();
			}
		}
	}

	private List<OffloadCall<?>> snapshot() {
		return new ArrayList<>(this.calls);
	}

	/**
	 * Describes the calls in flight now, oldest first; read-only.
	 */
	List<InFlightCall> describe(long nowNanos) {
		List<InFlightCall> described = new ArrayList<>();
		for (OffloadCall<?> call : snapshot()) {
			described.add(new InFlightCall(call, nowNanos));
		}
		described.sort(Comparator.comparing(InFlightCall::getAge).reversed());
		return described;
	}

	void startClosing() {
		this.closing = true;
	}

	/**
	 * Waits for a removal, or at most the given time.
	 */
	void awaitChange(long remainingNanos) throws InterruptedException {
		synchronized (this.monitor) {
			this.monitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(remainingNanos), 10)));
		}
	}

	/**
	 * Cuts off every call: interrupts the running bodies first, which marks them cut off,
	 * then rejects the many queued calls.
	 */
	void cutOff() {
		List<OffloadCall<?>> queued = new ArrayList<>();
		for (OffloadCall<?> call : snapshot()) {
			if (call.hasStarted()) {
				call.shutDown(false);
			}
			else {
				queued.add(call);
			}
		}
		for (OffloadCall<?> call : queued) {
			call.shutDown(false);
		}
	}

	/**
	 * Completes the future of every call still in flight.
	 * @return the number of futures completed whose body was still running
	 */
	int forceComplete() {
		int cut = 0;
		for (OffloadCall<?> call : snapshot()) {
			if (call.shutDown(true)) {
				cut++;
			}
		}
		return cut;
	}

}
