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
package dev.offload.limit;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream of the tests: {@code capacity} calls are served at once, each for the
 * service time; the others wait inside it (holding the caller's thread), so a body's run
 * time grows once more than {@code capacity} bodies call it. During an outage every call
 * hangs until it is interrupted.
 */
final class SimulatedDownstream {

	private final Semaphore permits;

	private final long serviceMillis;

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicInteger maxInside = new AtomicInteger();

	private volatile boolean outage;

	SimulatedDownstream(int capacity, long serviceMillis) {
		this.permits = new Semaphore(capacity, true);
		this.serviceMillis = serviceMillis;
	}

	/**
	 * Calls the downstream: waits for a permit, then for the service time.
	 * @return "served"
	 * @throws InterruptedException when the call is interrupted (its timeout, a cancel)
	 */
	String call() throws InterruptedException {
		int now = this.inside.incrementAndGet();
		this.maxInside.accumulateAndGet(now, Math::max);
		try {
			if (this.outage) {
				Thread.sleep(TimeUnit.MINUTES.toMillis(1));
			}
			this.permits.acquire();
			try {
				Thread.sleep(this.serviceMillis);
			}
			finally {
				this.permits.release();
			}
			return "served";
		}
		finally {
			this.inside.decrementAndGet();
		}
	}

	/**
	 * Returns how many calls are inside: served or waiting to be.
	 */
	int inside() {
		return this.inside.get();
	}

	int maxInside() {
		return this.maxInside.get();
	}

	void resetMaxInside() {
		this.maxInside.set(this.inside.get());
	}

	void outage(boolean outage) {
		this.outage = outage;
	}

}
