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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.offload.OffloadCancellation;
import dev.offload.OffloadCancellation.Registration;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CancelHooks}: several hooks of one body run newest first, and closed
 * ones never, wherever they were in the list; {@code registerUnlessStopped} (what the
 * JDBC integration uses) on a running body, on one already stopped, and on a finished
 * call.
 */
class CancelHooksRegistrationTests {

	private final PlatformOffloadExecutor pool = new PlatformOffloadExecutor("pool", 2, 2, 10, Duration.ofSeconds(60),
			"hooks-pool-", null, Duration.ofSeconds(1), ContextPropagator.NONE);

	private final OffloadExecutors registry = new OffloadExecutors(List.of(this.pool), "pool");

	private final CountDownLatch socket = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.socket.countDown();
		this.registry.close();
		assertThat(CancelHooks.size()).as("calls with hooks left behind").isZero();
	}

	@Test
	void hooksRunNewestFirstAndClosedOnesNever() throws Exception {
		List<Integer> ran = new CopyOnWriteArrayList<>();
		CountDownLatch registered = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.pool), () -> {
			OffloadCancellation.onCancel(() -> {
				ran.add(1);
				this.socket.countDown();
			});
			Registration two = OffloadCancellation.onCancel(() -> ran.add(2));
			OffloadCancellation.onCancel(() -> ran.add(3));
			Registration four = OffloadCancellation.onCancel(() -> ran.add(4));
			OffloadCancellation.onCancel(() -> ran.add(5));
			Registration six = OffloadCancellation.onCancel(() -> ran.add(6));
			four.close();
			two.close();
			six.close();
			registered.countDown();
			return CancelHooksTests.awaitUninterruptibly(this.socket) ? "closed" : "read";
		});
		Latches.awaitOrFail(registered, "the hooks registered");
		assertThat(call.cancel(true)).isTrue();
		assertThat(ran).containsExactly(5, 3, 1);
	}

	@Test
	void registerUnlessStoppedOnARunningBodyRunsTheActionWhenTheCallIsStopped() throws Exception {
		AtomicReference<OffloadCall<?>> current = new AtomicReference<>();
		AtomicReference<Registration> registration = new AtomicReference<>();
		CountDownLatch registered = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.pool), () -> {
			OffloadCall<?> self = CancelHooks.currentCall();
			current.set(self);
			registration.set(CancelHooks.registerUnlessStopped(self, this.socket::countDown));
			registered.countDown();
			return CancelHooksTests.awaitUninterruptibly(this.socket) ? "closed" : "read";
		});
		Latches.awaitOrFail(registered, "the hook registered");
		assertThat(current.get()).isSameAs(call);
		assertThat(registration.get()).isNotNull();
		assertThat(call.cancel(true)).isTrue();
		assertThat(this.socket.getCount()).as("the action ran").isZero();
	}

	@Test
	void registerUnlessStoppedOnAStoppedBodyReturnsNullAndNeverRunsTheAction() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		AtomicReference<Object> registration = new AtomicReference<>("not yet");
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch proceed = new CountDownLatch(1);
		CountDownLatch registered = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(this.pool), () -> {
			blocked.countDown();
			CancelHooksTests.awaitUninterruptibly(proceed);
			OffloadCall<?> self = CancelHooks.currentCall();
			registration.set((self != null) ? CancelHooks.registerUnlessStopped(self, runs::incrementAndGet) : "none");
			registered.countDown();
			return "read";
		});
		Latches.awaitOrFail(blocked, "the body blocked");
		assertThat(call.cancel(true)).isTrue();
		proceed.countDown();
		Latches.awaitOrFail(registered, "the body registering");
		assertThat(registration.get()).isNull();
		assertThat(runs).hasValue(0);
	}

	@Test
	void registerUnlessStoppedOnAFinishedCallDoesNothing() throws Exception {
		OffloadCall<String> call = Races.call(Races.site(this.pool), () -> "done");
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		AtomicInteger runs = new AtomicInteger();
		Registration registration = CancelHooks.registerUnlessStopped(call, runs::incrementAndGet);
		assertThat(registration).isNotNull();
		registration.close();
		assertThat(runs).hasValue(0);
		assertThat(CancelHooks.size()).isZero();
	}

}
