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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.offload.Offloader;

/**
 * Callers that each make one call after another (closed loop) until stopped; a rejected
 * caller backs off for a millisecond, so that a saturated executor does not turn the test
 * into a busy loop.
 */
final class Callers implements AutoCloseable {

	final AtomicLong served = new AtomicLong();

	final AtomicLong rejected = new AtomicLong();

	final AtomicLong timedOut = new AtomicLong();

	final AtomicLong failed = new AtomicLong();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean stopped;

	Callers(int count, Offloader offloader, SimulatedDownstream downstream) {
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(() -> loop(offloader, downstream), "adaptive-caller-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	private void loop(Offloader offloader, SimulatedDownstream downstream) {
		while (!this.stopped) {
			CompletableFuture<String> call = offloader.call(downstream::call);
			try {
				call.get(10, TimeUnit.SECONDS);
				this.served.incrementAndGet();
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof RejectedExecutionException) {
					this.rejected.incrementAndGet();
					pause();
				}
				else if (ex.getCause() instanceof TimeoutException) {
					this.timedOut.incrementAndGet();
				}
				else {
					this.failed.incrementAndGet();
				}
			}
			catch (InterruptedException ex) {
				call.cancel(true);
				return;
			}
			catch (TimeoutException ex) {
				// A call that never completes fails the test through the caller's count.
				this.failed.incrementAndGet();
				call.cancel(true);
			}
		}
	}

	private static void pause() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(15));
		}
	}

}
