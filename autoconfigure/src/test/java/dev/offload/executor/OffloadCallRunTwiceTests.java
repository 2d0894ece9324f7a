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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OffloadCall#run()} is public (the call is a {@code Runnable}), so a thread other
 * than the worker may call it: a no-op on a call that is already running, which must not
 * take the running body's thread away from cancel and timeout.
 * <p>
 * Found while racing (not in the issue): {@code run()} records its thread as the runner
 * before it tries to take the call, and clears it when it cannot; a second {@code run()}
 * on a running call so leaves the running body without a runner, and {@code cancel(true)}
 * or the timeout no longer interrupts it. Between the two writes, a cancel would
 * interrupt the thread that called {@code run()} instead.
 */
class OffloadCallRunTwiceTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 1, 1, 10,
			Duration.ofSeconds(60), "race-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.executor), "pool");

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	@Test
	void runningACallAgainElsewhereDoesNotStopCancelFromInterruptingItsBody() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.executor), () -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "released";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		call.run();
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(call.cancel(true)).isTrue();
		assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("running body interrupted by cancel(true)").isTrue();
	}

	@Test
	void runningACallAgainElsewhereDoesNotStopItsTimeoutFromInterruptingItsBody() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.executor, Duration.ofMillis(300)), () -> {
			started.countDown();
			try {
				this.release.await(5, TimeUnit.SECONDS);
				return "released";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		call.run();
		assertThat(Races.failureOf(call)).isInstanceOf(java.util.concurrent.TimeoutException.class);
		assertThat(interrupted.await(2, TimeUnit.SECONDS)).as("running body interrupted by its timeout").isTrue();
	}

	@Test
	void runningACallAgainElsewhereDoesNotStartItAgain() throws Exception {
		AtomicInteger starts = new AtomicInteger();
		this.executor.setCallListener(new OffloadCallListener() {
			@Override
			public void callStarted(OffloadCallSite site, long waitNanos) {
				starts.incrementAndGet();
			}
		});
		CountDownLatch started = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.executor), () -> {
			started.countDown();
			this.release.await(5, TimeUnit.SECONDS);
			return "released";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		call.run();
		assertThat(CallRunner.current()).as("no call left on the thread that ran it again").isNull();
		this.release.countDown();
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("released");
		assertThat(starts.get()).as("calls started").isEqualTo(1);
	}

}
