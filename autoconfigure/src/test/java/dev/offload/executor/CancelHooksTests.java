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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.offload.OffloadCancellation;
import dev.offload.OffloadCancellation.Registration;
import dev.offload.context.ContextPropagator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Cancel hooks ({@link OffloadCancellation}): what a body registers runs once when its
 * call is stopped (timeout, {@code cancel(true)}, shutdown cut-off), on the stopping
 * thread, after the future has completed; never once the registration is closed or the
 * body has returned. The bodies here block without answering interrupts, as a socket read
 * does: only their hook ends them.
 */
@ExtendWith(OutputCaptureExtension.class)
class CancelHooksTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<OffloadExecutors> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.release.countDown();
		this.registries.forEach(OffloadExecutors::close);
		assertThat(CancelHooks.size()).as("calls with hooks left behind").isZero();
	}

	private PlatformOffloadExecutor pool(Duration awaitTermination) {
		PlatformOffloadExecutor executor = new PlatformOffloadExecutor("pool", 2, 2, 10, Duration.ofSeconds(60),
				"hooks-pool-", null, awaitTermination, ContextPropagator.NONE);
		this.registries.add(new OffloadExecutors(List.of(executor), "pool"));
		return executor;
	}

	private PlatformOffloadExecutor pool() {
		return pool(Duration.ofSeconds(1));
	}

	/**
	 * Waits as a blocking read that ignores interrupts does: until the latch opens, or 5
	 * s. The interrupt is kept.
	 */
	static boolean awaitUninterruptibly(CountDownLatch latch) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A body that blocks uninterruptibly on a "socket" that its hook closes.
	 */
	private final class BlockedBody {

		final CountDownLatch socket = new CountDownLatch(1);

		final CountDownLatch blocked = new CountDownLatch(1);

		final AtomicInteger hookRuns = new AtomicInteger();

		final AtomicReference<Thread> hookThread = new AtomicReference<>();

		final AtomicReference<Boolean> futureDoneInHook = new AtomicReference<>();

		final AtomicReference<OffloadCall<String>> call = new AtomicReference<>();

		final CountDownLatch returned = new CountDownLatch(1);

		String run() {
			try (Registration registration = OffloadCancellation.onCancel(() -> {
				this.hookRuns.incrementAndGet();
				this.hookThread.set(Thread.currentThread());
				OffloadCall<String> call = this.call.get();
				this.futureDoneInHook.set(call != null && call.isDone());
				this.socket.countDown();
			})) {
				this.blocked.countDown();
				return awaitUninterruptibly(this.socket) ? "closed" : "read";
			}
			finally {
				this.returned.countDown();
			}
		}

		OffloadCall<String> submit(OffloadCallSite site) throws InterruptedException {
			OffloadCall<String> call = Races.call(site, this::run);
			this.call.set(call);
			assertThat(this.blocked.await(5, TimeUnit.SECONDS)).isTrue();
			return call;
		}

	}

	@Test
	void registeredHookIsKeptForItsCallUntilTheBodyReturns() throws Exception {
		OffloadCall<Integer> call = Races.call(Races.site(pool()), () -> {
			try (Registration registration = OffloadCancellation.onCancel(() -> {
			})) {
				return CancelHooks.size();
			}
		});
		assertThat(call.get(5, TimeUnit.SECONDS)).as("calls with hooks while the body ran").isOne();
	}

	@Test
	void workerTakesItsNextTaskOnlyOnceTheHookRunningForTheReturnedBodyHasEnded() throws Exception {
		try (SingleThreadWorker worker = new SingleThreadWorker("hooks-serial-1")) {
			BeanOffloadExecutor executor = new BeanOffloadExecutor("serial", "worker", worker, null,
					Duration.ofSeconds(1), ContextPropagator.NONE);
			this.registries.add(new OffloadExecutors(List.of(executor), "serial"));
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch hookStarted = new CountDownLatch(1);
			CountDownLatch hookRelease = new CountDownLatch(1);
			AtomicBoolean hookEnded = new AtomicBoolean();
			OffloadCall<String> call = Races.call(Races.site(executor), () -> {
				OffloadCancellation.onCancel(() -> {
					hookStarted.countDown();
					awaitUninterruptibly(hookRelease);
					hookEnded.set(true);
				});
				started.countDown();
				// Returns, interrupted, while the stopping thread runs the hook.
				awaitUninterruptibly(hookStarted);
				return "returned";
			});
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> call.cancel(true));
			assertThat(hookStarted.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Boolean> next = new CompletableFuture<>();
			worker.execute(() -> next.complete(hookEnded.get()));
			// Time for a worker that does not wait to take the next task.
			assertThat(this.release.await(200, TimeUnit.MILLISECONDS)).isFalse();
			hookRelease.countDown();
			assertThat(next.get(5, TimeUnit.SECONDS)).as("hook ended when the worker took its next task").isTrue();
			assertThat(cancelled.get(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void bodyClosingItsRegistrationWhileTheHookRunsWaitsForItAndKeepsItsInterrupt() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch hookStarted = new CountDownLatch(1);
		CountDownLatch hookRelease = new CountDownLatch(1);
		CountDownLatch closing = new CountDownLatch(1);
		AtomicReference<Thread> body = new AtomicReference<>();
		AtomicBoolean hookEndedAtClose = new AtomicBoolean();
		CompletableFuture<Boolean> interruptedAfterClose = new CompletableFuture<>();
		AtomicBoolean hookEnded = new AtomicBoolean();
		OffloadCall<String> call = Races.call(Races.site(pool()), () -> {
			body.set(Thread.currentThread());
			Registration registration = OffloadCancellation.onCancel(() -> {
				hookStarted.countDown();
				awaitUninterruptibly(hookRelease);
				hookEnded.set(true);
			});
			started.countDown();
			awaitUninterruptibly(hookStarted);
			closing.countDown();
			registration.close();
			hookEndedAtClose.set(hookEnded.get());
			interruptedAfterClose.complete(Thread.currentThread().isInterrupted());
			return "closed";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> call.cancel(true));
		assertThat(hookStarted.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();
		// The body waits in close() for the hook.
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> body.get().getState() == Thread.State.TIMED_WAITING);
		hookRelease.countDown();
		assertThat(interruptedAfterClose.get(5, TimeUnit.SECONDS)).as("interrupted after close()").isTrue();
		assertThat(hookEndedAtClose).as("hook ended when close() returned").isTrue();
		assertThat(cancelled.get(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void hookRunsOnceWhenTheCallTimesOutAfterTheFutureCompleted() throws Exception {
		BlockedBody body = new BlockedBody();
		long start = System.nanoTime();
		OffloadCall<String> call = body.submit(Races.site(pool(), Duration.ofMillis(200)));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TimeoutException.class);
		assertThat(body.returned.await(5, TimeUnit.SECONDS)).as("the body, unblocked by its hook").isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
		assertThat(body.hookRuns).hasValue(1);
		assertThat(body.futureDoneInHook).hasValue(true);
		assertThat(body.hookThread.get().getName()).startsWith("offload-completion-");
	}

	@Test
	void hookRunsOnTheCancellingThreadForCancelWithInterrupt() throws Exception {
		BlockedBody body = new BlockedBody();
		OffloadCall<String> call = body.submit(Races.site(pool()));
		assertThat(call.cancel(true)).isTrue();
		// cancel(true) returns once the hook has run, on this thread.
		assertThat(body.hookRuns).hasValue(1);
		assertThat(body.hookThread).hasValue(Thread.currentThread());
		assertThat(body.futureDoneInHook).hasValue(true);
		assertThat(body.returned.await(5, TimeUnit.SECONDS)).isTrue();
		call.cancel(true);
		assertThat(body.hookRuns).hasValue(1);
	}

	@Test
	void hookRunsWhenTheCallerCompletesTheFuture() throws Exception {
		BlockedBody body = new BlockedBody();
		OffloadCall<String> call = body.submit(Races.site(pool()));
		call.complete("mine");
		assertThat(body.hookRuns).hasValue(1);
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("mine");
	}

	@Test
	void hookDoesNotRunForCancelWithoutInterrupt() throws Exception {
		BlockedBody body = new BlockedBody();
		OffloadCall<String> call = body.submit(Races.site(pool()));
		assertThat(call.cancel(false)).isTrue();
		assertThat(body.returned.await(100, TimeUnit.MILLISECONDS)).as("the body, left alone").isFalse();
		assertThat(body.hookRuns).hasValue(0);
		body.socket.countDown();
		assertThat(body.returned.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void hookRunsAtTheShutdownCutOff() throws Exception {
		BlockedBody body = new BlockedBody();
		PlatformOffloadExecutor executor = pool(Duration.ofMillis(100));
		OffloadCall<String> call = body.submit(Races.site(executor));
		long start = System.nanoTime();
		this.registries.forEach(OffloadExecutors::close);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("close(), with the body unblocked")
			.isLessThan(1000);
		assertThat(body.hookRuns).hasValue(1);
		assertThat(Races.failureOf(call)).isInstanceOf(CancellationException.class);
		assertThat(executor.getInFlightCount()).isZero();
	}

	@Test
	void hookOfAClosedRegistrationNeverRuns() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch closed = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(pool()), () -> {
			OffloadCancellation.onCancel(runs::incrementAndGet).close();
			closed.countDown();
			awaitUninterruptibly(this.release);
			return "done";
		});
		assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
		call.cancel(true);
		this.release.countDown();
		assertThat(Races.failureOf(call)).isInstanceOf(CancellationException.class);
		assertThat(runs).hasValue(0);
	}

	@Test
	void hookNeverRunsAfterTheBodyReturnedEvenIfLeftRegistered() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CompletableFuture<String> pending = new CompletableFuture<>();
		OffloadCallSite site = new OffloadCallSite(pool(), 0, "dev.offload.race.Race", "call", "Race.call()", false,
				OffloadCallSite.TaskKind.CALLABLE);
		OffloadCall<String> call = site.submit((java.util.concurrent.Callable<CompletableFuture<String>>) () -> {
			OffloadCancellation.onCancel(runs::incrementAndGet);
			return pending;
		});
		// The body has returned a stage still pending, so the future is still incomplete.
		awaitEnded(call);
		call.cancel(true);
		assertThat(Races.failureOf(call)).isInstanceOf(CancellationException.class);
		assertThat(runs).hasValue(0);
	}

	private static void awaitEnded(OffloadCall<?> call) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!call.hasStarted() || call.isBodyRunning()) {
			assertThat(System.nanoTime()).as("the body, still running after 5 s").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	@Test
	void hookRegisteredAfterTheCallWasStoppedRunsAtOnceOnTheBody() throws Exception {
		AtomicReference<Thread> hookThread = new AtomicReference<>();
		AtomicReference<Thread> bodyThread = new AtomicReference<>();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch registered = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(pool()), () -> {
			bodyThread.set(Thread.currentThread());
			started.countDown();
			// The interrupt arrives here and is swallowed, as a careless body would.
			awaitUninterruptibly(this.release);
			OffloadCancellation.onCancel(() -> hookThread.set(Thread.currentThread())).close();
			registered.countDown();
			return "done";
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		call.cancel(true);
		this.release.countDown();
		assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(hookThread.get()).isNotNull().isSameAs(bodyThread.get());
	}

	@Test
	void hookThatThrowsIsLoggedAndTheOtherHooksStillRun(CapturedOutput output) throws Exception {
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch blocked = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(pool()), () -> {
			try (Registration first = OffloadCancellation.onCancel(runs::incrementAndGet);
					Registration failing = OffloadCancellation.onCancel(() -> {
						throw new IllegalStateException("cannot abort");
					})) {
				blocked.countDown();
				awaitUninterruptibly(this.release);
				return "done";
			}
		});
		assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(call.cancel(true)).isTrue();
		this.release.countDown();
		assertThat(Races.failureOf(call)).isInstanceOf(CancellationException.class);
		assertThat(runs).hasValue(1);
		assertThat(output).contains("A cancel hook of the offloaded call to Race.call() on executor 'pool' failed")
			.contains("cannot abort");
	}

	@Test
	void onCancelOutsideAnOffloadedBodyDoesNothing() {
		AtomicInteger runs = new AtomicInteger();
		Registration registration = OffloadCancellation.onCancel(runs::incrementAndGet);
		registration.close();
		assertThat(runs).hasValue(0);
		assertThat(CancelHooks.currentCall()).isNull();
	}

	@Test
	void closingARegistrationWhoseHookIsRunningWaitsUntilItHasRun() throws Exception {
		CountDownLatch hookEntered = new CountDownLatch(1);
		CountDownLatch hookRelease = new CountDownLatch(1);
		AtomicBoolean hookEnded = new AtomicBoolean();
		AtomicReference<Boolean> endedWhenCloseReturned = new AtomicReference<>();
		CountDownLatch closeReturned = new CountDownLatch(1);
		CountDownLatch registered = new CountDownLatch(1);
		OffloadCall<String> call = Races.call(Races.site(pool()), () -> {
			Registration registration = OffloadCancellation.onCancel(() -> {
				hookEntered.countDown();
				awaitUninterruptibly(hookRelease);
				hookEnded.set(true);
			});
			registered.countDown();
			awaitUninterruptibly(hookEntered);
			registration.close();
			endedWhenCloseReturned.set(hookEnded.get());
			closeReturned.countDown();
			return "done";
		});
		Thread canceller = new Thread(() -> call.cancel(true));
		assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();
		canceller.start();
		assertThat(hookEntered.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(closeReturned.await(100, TimeUnit.MILLISECONDS)).as("close() while the hook runs").isFalse();
		hookRelease.countDown();
		assertThat(closeReturned.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(endedWhenCloseReturned).hasValue(true);
		canceller.join(5000);
	}

}
