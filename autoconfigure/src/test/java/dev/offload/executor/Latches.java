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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bounded waits for the tests: every wait on a latch ends after {@link #SECONDS}, so that
 * a broken runtime fails a test instead of hanging the build.
 */
public final class Latches {

	/**
	 * How long a test waits for anything that should happen at once.
	 */
	public static final long SECONDS = 5;

	private Latches() {
	}

	/**
	 * Waits for the latch, at most {@link #SECONDS}.
	 * @param latch the latch
	 * @return whether it reached zero in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public static boolean await(CountDownLatch latch) throws InterruptedException {
		return latch.await(SECONDS, TimeUnit.SECONDS);
	}

	/**
	 * Waits for the latch, at most {@link #SECONDS}, and fails if it does not reach zero.
	 * @param latch the latch
	 * @param what what the latch signals, for the failure message
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public static void awaitOrFail(CountDownLatch latch, String what) throws InterruptedException {
		if (!await(latch)) {
			throw new AssertionError("Not within " + SECONDS + " s: " + what + " (" + latch.getCount() + " to go)");
		}
	}

}
