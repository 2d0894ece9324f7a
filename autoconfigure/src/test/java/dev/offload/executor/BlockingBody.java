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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The body most executor tests need: it signals that it started, blocks until the test
 * releases it, and records whether it was interrupted.
 * <p>
 * By default it responds to an interrupt by throwing {@link InterruptedException}, as a
 * well-behaved blocking body does. {@link #ignoringInterrupts()} makes one that swallows
 * every interrupt and keeps waiting until released (a body deaf to interrupts), and
 * {@link #restoringInterrupt()} one that catches the interrupt, sets the flag again and
 * returns (a body that hands the interrupt on, as it should). Every wait is bounded by
 * {@link Latches#SECONDS}: a body that is never released fails rather than hangs.
 */
public final class BlockingBody implements Callable<String> {

	private final String value;

	private final CountDownLatch release;

	private final CountDownLatch startedShared;

	private final CountDownLatch started = new CountDownLatch(1);

	private final CountDownLatch interrupted = new CountDownLatch(1);

	private final AtomicInteger interrupts = new AtomicInteger();

	private final Mode mode;

	private BlockingBody(String value, CountDownLatch release, CountDownLatch startedShared, Mode mode) {
		this.value = value;
		this.release = release;
		this.startedShared = startedShared;
		this.mode = mode;
	}

	/**
	 * Returns a body that blocks until {@code release} reaches zero, then returns
	 * {@code "done"}.
	 * @param release the latch that releases it (may be shared by several bodies)
	 * @return the body
	 */
	public static BlockingBody until(CountDownLatch release) {
		return new BlockingBody("done", release, new CountDownLatch(0), Mode.THROW);
	}

	/**
	 * Returns this body returning the given value once released.
	 * @param value the value
	 * @return a new body
	 */
	public BlockingBody returning(String value) {
		return new BlockingBody(value, this.release, this.startedShared, this.mode);
	}

	/**
	 * Returns this body also counting down {@code started} when it starts, so that a test
	 * can wait for several bodies at once.
	 * @param started a latch shared by several bodies
	 * @return a new body
	 */
	public BlockingBody countingDown(CountDownLatch started) {
		return new BlockingBody(this.value, this.release, started, this.mode);
	}

	/**
	 * Returns this body swallowing every interrupt and waiting on until released (or the
	 * bound passes), then returning its value.
	 * @return a new body
	 */
	public BlockingBody ignoringInterrupts() {
		return new BlockingBody(this.value, this.release, this.startedShared, Mode.IGNORE);
	}

	/**
	 * Returns this body catching an interrupt, setting the interrupt flag again and
	 * returning its value.
	 * @return a new body
	 */
	public BlockingBody restoringInterrupt() {
		return new BlockingBody(this.value, this.release, this.startedShared, Mode.RESTORE);
	}

	@Override
	public String call() throws InterruptedException {
		this.started.countDown();
		this.startedShared.countDown();
		if (this.mode == Mode.IGNORE) {
			return ignoreInterrupts();
		}
		try {
			if (!Latches.await(this.release)) {
				throw new IllegalStateException("The body was not released within " + Latches.SECONDS + " s");
			}
			return this.value;
		}
		catch (InterruptedException ex) {
			this.interrupts.incrementAndGet();
			this.interrupted.countDown();
			if (this.mode == Mode.RESTORE) {
				Thread.currentThread().interrupt();
				return this.value;
			}
			throw ex;
		}
	}

	private String ignoreInterrupts() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Latches.SECONDS);
		while (System.nanoTime() < deadline) {
			try {
				if (this.release.await(10, TimeUnit.MILLISECONDS)) {
					return this.value;
				}
			}
			catch (InterruptedException ex) {
				this.interrupts.incrementAndGet();
				this.interrupted.countDown();
			}
		}
		return this.value;
	}

	/**
	 * Waits until the body has started, at most {@link Latches#SECONDS}.
	 * @return whether it started
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitStarted() throws InterruptedException {
		return Latches.await(this.started);
	}

	/**
	 * Waits until the body has been interrupted, at most {@link Latches#SECONDS}.
	 * @return whether it was interrupted
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitInterrupted() throws InterruptedException {
		return Latches.await(this.interrupted);
	}

	/**
	 * Returns whether the body has started.
	 * @return whether it started
	 */
	public boolean hasStarted() {
		return this.started.getCount() == 0;
	}

	/**
	 * Returns how many interrupts the body saw.
	 * @return the count of interrupts
	 */
	public int interruptCount() {
		return this.interrupts.get();
	}

	/**
	 * Returns whether the body saw an interrupt.
	 * @return whether it was interrupted
	 */
	public boolean wasInterrupted() {
		return this.interrupts.get() > 0;
	}

	private enum Mode {

		THROW, IGNORE, RESTORE

	}

}
