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

package dev.offload.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.offload.context.ContextPropagator;
import dev.offload.executor.BeanOffloadExecutor;
import dev.offload.executor.CallLimiter;
import dev.offload.executor.OffloadCall;
import dev.offload.executor.OffloadCallSite;
import dev.offload.executor.OffloadCallSite.TaskKind;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.OffloadOutcome;
import dev.offload.executor.PlatformOffloadExecutor;
import dev.offload.executor.VirtualOffloadExecutor;
import dev.offload.limit.AdaptiveLimiter;
import dev.offload.limit.DropExceptions;
import dev.offload.limit.LimitAlgorithm;
import dev.offload.metrics.OffloadMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm on each kind of executor: calls that succeed, throw (errors too), sleep, are
 * cancelled with and without interrupt, time out while queued and while running, swallow
 * their timeout's interrupt, and make nested calls; first without shutdown, then with
 * {@code close()} in the middle of it. Afterwards: every future was done when
 * {@code close()} returned, {@code offload.calls} counts every call once with the outcome
 * its future shows, no permit or thread was lost, no thread of ours is left running, and
 * no worker is left with an interrupt flag or a caller's context.
 */
class TortureReliabilityTests {

	/** The caller context carried to the bodies, by a propagator of the test's own. */
	private static final ThreadLocal<@Nullable String> CONTEXT = new ThreadLocal<>();

	private static final int SIZE = 6;

	private static final int QUEUE = 64;

	private static final int SUBMITTERS = 3;

	private static final int CALLS_PER_SUBMITTER = 1000;

	private static final Duration AWAIT_TERMINATION = Duration.ofMillis(300);

	private static final ContextPropagator PROPAGATOR = new ContextPropagator() {

		@Override
		public @Nullable Object capture() {
			return CONTEXT.get();
		}

		@Override
		public @Nullable Object restore(@Nullable Object captured) {
			String previous = CONTEXT.get();
			set((String) captured);
			return previous;
		}

		@Override
		public void reset(@Nullable Object restored) {
			set((String) restored);
		}

		private void set(@Nullable String value) {
			if (value != null) {
				CONTEXT.set(value);
			}
			else {
				CONTEXT.remove();
			}
		}

	};

	private final List<OffloadExecutors> registries = new ArrayList<>();

	private final List<ThreadPoolTaskExecutor> owned = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.registries.forEach(OffloadExecutors::close);
		this.owned.forEach(ThreadPoolTaskExecutor::shutdown);
	}

	@Test
	void platformPoolSurvivesTheStorm() throws Exception {
		torture(() -> new PlatformOffloadExecutor("platform", SIZE, SIZE, QUEUE, Duration.ofSeconds(60),
				"offload-torture-p-", null, AWAIT_TERMINATION, PROPAGATOR));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualExecutorSurvivesTheStorm() throws Exception {
		torture(() -> new VirtualOffloadExecutor("virtual", SIZE, QUEUE, "offload-torture-v-", null, AWAIT_TERMINATION,
				PROPAGATOR));
	}

	@Test
	void adaptivePlatformPoolSurvivesTheStorm() throws Exception {
		torture(() -> adaptive(new PlatformOffloadExecutor("adaptive-platform", SIZE, SIZE, QUEUE,
				Duration.ofSeconds(60), "offload-torture-ap-", null, AWAIT_TERMINATION, PROPAGATOR)));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void adaptiveVirtualExecutorSurvivesTheStorm() throws Exception {
		torture(() -> adaptive(new VirtualOffloadExecutor("adaptive-virtual", SIZE, QUEUE, "offload-torture-av-", null,
				AWAIT_TERMINATION, PROPAGATOR)));
	}

	/**
	 * Makes an executor adaptive, its limit free to move between 1 and {@link #SIZE}.
	 */
	private static OffloadExecutor adaptive(OffloadExecutor executor) {
		executor.setLimiter(new AdaptiveLimiter(executor.getName(), LimitAlgorithm.VEGAS, SIZE, 1, SIZE,
				DropExceptions.defaults(TortureReliabilityTests.class.getClassLoader())));
		return executor;
	}

	@Test
	void beanExecutorSurvivesTheStorm() throws Exception {
		torture(() -> {
			ThreadPoolTaskExecutor taskExecutor = new ThreadPoolTaskExecutor();
			taskExecutor.setCorePoolSize(SIZE);
			taskExecutor.setMaxPoolSize(SIZE);
			taskExecutor.setQueueCapacity(QUEUE);
			taskExecutor.setThreadNamePrefix("torture-bean-");
			taskExecutor.initialize();
			this.owned.add(taskExecutor);
			return new BeanOffloadExecutor("bean", "tortureExecutor", taskExecutor, null, AWAIT_TERMINATION,
					PROPAGATOR);
		});
	}

	private void torture(ExecutorShape shape) throws Exception {
		OffloadExecutor executor = shape.create();
		OffloadExecutors registry = new OffloadExecutors(List.of(executor), executor.getName());
		this.registries.add(registry);
		MeterRegistry meters = new SimpleMeterRegistry();
		new OffloadMetrics(registry).bindTo(meters);
		Storm storm = new Storm(executor);

		// Phase 1: a storm without shutdown, then the executor must be as good as new.
		storm.run(null);
		awaitUntil("futures of phase 1 done", Duration.ofSeconds(10),
				() -> storm.snapshot().stream().allMatch(OffloadCall::isDone));
		awaitUntil("bodies of phase 1 ended", Duration.ofSeconds(10), () -> storm.bodiesRunning.get() == 0);
		CallLimiter limiter = executor.getLimiter();
		if (limiter != null) {
			assertThat(storm.ceilingViolations).as("limit out of bounds, or more bodies than max-limit").isEmpty();
			awaitUntil("the limiter sees no body in flight", Duration.ofSeconds(5), () -> limiter.getInFlight() == 0);
			assertThat(limiter.getLimit()).isBetween(1, SIZE);
			// Wherever the storm left the limit, the executor follows it exactly.
			limiter.setBounds(SIZE, SIZE);
		}
		assertThat(storm.maxAtOnce(executor)).as("calls running at once after phase 1").isEqualTo(SIZE);
		ThreadPoolExecutor workers = workers(executor);
		if (workers != null) {
			assertWorkersClean(workers);
		}

		// Phase 2: close() in the middle of the storm.
		long closeMillis = storm.run(registry);
		List<OffloadCall<?>> atClose = storm.snapshotAtClose;
		assertThat(atClose.stream().filter((call) -> !call.isDone()).count())
			.as("futures incomplete when close() returned, of %d", atClose.size())
			.isZero();
		int bodiesAtClose = storm.bodiesRunningAtClose;
		assertThat(storm.snapshot()).allSatisfy((call) -> assertThat(call).isDone());
		if (executor instanceof BeanOffloadExecutor) {
			// The bean is its owner's: its threads live on, and bodies whose futures are
			// done may still be finishing on them. Once they have, its workers are clean.
			ThreadPoolExecutor pool = Objects.requireNonNull(workers);
			awaitUntil("bean's threads idle", Duration.ofSeconds(10), () -> pool.getActiveCount() == 0);
			assertWorkersClean(pool);
			this.owned.forEach(ThreadPoolTaskExecutor::shutdown);
			assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
			assertThat(storm.bodiesRunning.get()).as("bodies running after the owner shut its pool down").isZero();
		}
		else {
			assertThat(bodiesAtClose).as("bodies running when close() returned").isZero();
			awaitUntil("threads of ours ended", Duration.ofSeconds(2),
					() -> storm.bodyThreads.stream().noneMatch(Thread::isAlive)
							&& Load.count(Thread.getAllStackTraces().keySet(), "offload-torture-") == 0);
			assertThat(executor.getActiveCount()).as("permits or threads still taken").isZero();
			assertThat(executor.getQueueSize()).isZero();
		}

		if (limiter != null) {
			awaitUntil("the limiter sees no body in flight after close()", Duration.ofSeconds(5),
					() -> limiter.getInFlight() == 0);
			assertThat(storm.ceilingViolations).as("limit out of bounds, or more bodies than max-limit").isEmpty();
		}

		// Every call counted once, with the outcome its future shows.
		List<OffloadCall<?>> calls = storm.snapshot();
		Map<OffloadOutcome, Integer> outcomes = new EnumMap<>(OffloadOutcome.class);
		List<String> inconsistent = new ArrayList<>();
		for (OffloadCall<?> call : calls) {
			OffloadOutcome outcome = call.getOutcome();
			if (outcome == null || !consistent(call, outcome)) {
				inconsistent.add(outcome + ": " + call);
			}
			else {
				outcomes.merge(outcome, 1, Integer::sum);
			}
		}
		assertThat(inconsistent).as("futures whose outcome does not match how they completed").isEmpty();
		awaitUntil("offload.calls counts every call", Duration.ofSeconds(5),
				() -> countCalls(meters, null) == calls.size());
		for (OffloadOutcome outcome : OffloadOutcome.values()) {
			assertThat(countCalls(meters, outcome)).as("offload.calls outcome=%s", outcome.tagValue())
				.isEqualTo((long) outcomes.getOrDefault(outcome, 0));
		}
		assertThat(outcomes.keySet()).as("outcomes seen")
			.contains(OffloadOutcome.SUCCESS, OffloadOutcome.ERROR, OffloadOutcome.TIMEOUT, OffloadOutcome.CANCELLED,
					OffloadOutcome.REJECTED);
		assertThat(storm.contextMismatches.get()).as("bodies that saw another caller's context").isZero();
		Load.report("torture (" + executor.getName() + ")",
				"calls=" + calls.size() + " outcomes=" + outcomes + " closeMillis=" + closeMillis
						+ " incompleteAtClose=0 bodiesAtClose=" + bodiesAtClose + " nestedInline="
						+ executor.getNestedInlineCount());

		// A fresh context of the same shape runs exactly as many calls at once.
		OffloadExecutor fresh = shape.create();
		OffloadExecutors freshRegistry = new OffloadExecutors(List.of(fresh), fresh.getName());
		this.registries.add(freshRegistry);
		assertThat(new Storm(fresh).maxAtOnce(fresh)).as("calls running at once on a fresh executor").isEqualTo(SIZE);
	}

	private static boolean consistent(OffloadCall<?> call, OffloadOutcome outcome) {
		Throwable failure = null;
		try {
			call.join();
		}
		catch (CancellationException ex) {
			failure = ex;
		}
		catch (CompletionException ex) {
			failure = ex.getCause();
		}
		return switch (outcome) {
			case SUCCESS -> failure == null;
			case ERROR -> failure != null;
			case TIMEOUT -> failure instanceof TimeoutException;
			case CANCELLED -> failure instanceof CancellationException;
			case REJECTED -> failure instanceof RejectedExecutionException;
		};
	}

	private static long countCalls(MeterRegistry meters, @Nullable OffloadOutcome outcome) {
		var search = meters.find(OffloadMetrics.CALLS);
		if (outcome != null) {
			search = search.tag("outcome", outcome.tagValue());
		}
		return search.timers().stream().mapToLong(Timer::count).sum();
	}

	/**
	 * Returns the threads the calls run on, where they outlive a call.
	 */
	private @Nullable ThreadPoolExecutor workers(OffloadExecutor executor) {
		if (executor instanceof PlatformOffloadExecutor platform) {
			return platform.getThreadPoolExecutor();
		}
		if (executor instanceof BeanOffloadExecutor) {
			return this.owned.get(this.owned.size() - 1).getThreadPoolExecutor();
		}
		return null;
	}

	/**
	 * Runs a plain task on every thread of the pool at once, as the pool's owner would,
	 * and checks that none sees an interrupt flag or a caller's context.
	 */
	private static void assertWorkersClean(ThreadPoolExecutor pool) throws Exception {
		int threads = pool.getCorePoolSize();
		CyclicBarrier allThreads = new CyclicBarrier(threads);
		Set<Thread> seen = ConcurrentHashMap.newKeySet();
		List<String> dirty = Collections.synchronizedList(new ArrayList<>());
		List<Future<?>> probes = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			probes.add(pool.submit(() -> {
				Thread thread = Thread.currentThread();
				boolean interrupted = Thread.interrupted();
				String context = CONTEXT.get();
				if (interrupted || context != null) {
					dirty.add(thread.getName() + " interrupted=" + interrupted + " context=" + context);
				}
				seen.add(thread);
				allThreads.await(5, TimeUnit.SECONDS);
				return null;
			}));
		}
		for (Future<?> probe : probes) {
			probe.get(10, TimeUnit.SECONDS);
		}
		assertThat(seen).as("threads probed").hasSize(threads);
		assertThat(dirty).as("workers left dirty").isEmpty();
	}

	private static void awaitUntil(String what, Duration bound, BooleanSupplier condition) {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("still not true after %s: %s", bound, what).isNegative();
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	@FunctionalInterface
	interface ExecutorShape {

		OffloadExecutor create();

	}

	enum Kind {

		// Weights per mille: a load about twice what the executor can take, so that
		// calls queue, time out in the queue and are rejected, with a few long bodies
		// for close() to cut off.
		QUICK(380), THROW(100), ERROR(50), SLEEP(300), LONG(2), SWALLOW(3), NESTED(165),

		// Made on purpose once per caller while close() runs: a body that outlives the
		// await-termination and the interrupt grace unless it is interrupted, after its
		// future was cancelled without interrupt or it swallowed its timeout's
		// interrupt.
		DETACHED(0), SWALLOW_LONG(0);

		final int weight;

		Kind(int weight) {
			this.weight = weight;
		}

		static Kind pick(ThreadLocalRandom random) {
			int r = random.nextInt(1000);
			for (Kind kind : values()) {
				r -= kind.weight;
				if (r < 0) {
					return kind;
				}
			}
			return QUICK;
		}

	}

	/**
	 * An error of the test's own, so that a body can throw an {@link Error}.
	 */
	static final class TortureError extends Error {

		TortureError() {
			super("torture");
		}

	}

	/**
	 * The calls of one executor, and what their bodies saw.
	 */
	private static final class Storm {

		final OffloadCallSite untimed;

		final OffloadCallSite shortTimeout;

		final OffloadCallSite longTimeout;

		final List<OffloadCall<?>> calls = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger bodiesRunning = new AtomicInteger();

		final Set<Thread> bodyThreads = ConcurrentHashMap.newKeySet();

		final AtomicInteger contextMismatches = new AtomicInteger();

		volatile boolean withClose;

		volatile boolean closing;

		volatile List<OffloadCall<?>> snapshotAtClose = List.of();

		volatile int bodiesRunningAtClose;

		final List<String> ceilingViolations = Collections.synchronizedList(new ArrayList<>());

		private final OffloadExecutor executor;

		Storm(OffloadExecutor executor) {
			this.executor = executor;
			this.untimed = site(executor, 0, "untimed");
			this.shortTimeout = site(executor, TimeUnit.MILLISECONDS.toNanos(5), "shortTimeout");
			this.longTimeout = site(executor, TimeUnit.MILLISECONDS.toNanos(50), "longTimeout");
		}

		private static OffloadCallSite site(OffloadExecutor executor, long timeoutNanos, String method) {
			return new OffloadCallSite(executor, timeoutNanos, "dev.offload.reliability.Torture", method,
					"Torture." + method + "()", false, TaskKind.CALLABLE);
		}

		/**
		 * On an adaptive executor, checks after each call made that its limit is within
		 * bounds and that no more bodies run than its maximum limit (nested calls run
		 * inline hold no thread or permit of their own).
		 */
		void checkCeiling() {
			CallLimiter limiter = this.executor.getLimiter();
			if (limiter == null) {
				return;
			}
			int limit = limiter.getLimit();
			int active = this.executor.getActiveCount();
			if (limit < limiter.getMinLimit() || limit > limiter.getMaxLimit() || active > limiter.getMaxLimit()) {
				this.ceilingViolations.add("limit " + limit + " in [" + limiter.getMinLimit() + ", "
						+ limiter.getMaxLimit() + "], " + active + " running");
			}
		}

		List<OffloadCall<?>> snapshot() {
			synchronized (this.calls) {
				return new ArrayList<>(this.calls);
			}
		}

		<T> OffloadCall<T> submit(OffloadCallSite site, Callable<T> body) {
			OffloadCall<T> call = site.submit(body);
			this.calls.add(call);
			return call;
		}

		/**
		 * Storms the executor from several threads; with a registry, closes it once half
		 * the calls are made, while the callers go on.
		 * @return how long {@code close()} took, in milliseconds
		 */
		long run(@Nullable OffloadExecutors toClose) throws Exception {
			this.withClose = toClose != null;
			AtomicInteger made = new AtomicInteger();
			List<Thread> callers = new ArrayList<>();
			List<Throwable> callerFailures = Collections.synchronizedList(new ArrayList<>());
			for (int s = 0; s < SUBMITTERS; s++) {
				int caller = s;
				Thread thread = new Thread(() -> {
					try {
						storm(caller, made);
					}
					catch (Throwable ex) {
						callerFailures.add(ex);
					}
				}, "torture-caller-" + s);
				thread.start();
				callers.add(thread);
			}
			long closeMillis = -1;
			if (toClose != null) {
				awaitUntil("half the calls made", Duration.ofSeconds(20),
						() -> made.get() >= SUBMITTERS * CALLS_PER_SUBMITTER / 2);
				this.closing = true;
				long start = System.nanoTime();
				toClose.close();
				closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				this.bodiesRunningAtClose = this.bodiesRunning.get();
				this.snapshotAtClose = snapshot();
			}
			for (Thread thread : callers) {
				thread.join(TimeUnit.SECONDS.toMillis(20));
				assertThat(thread.isAlive()).as("caller %s still running", thread.getName()).isFalse();
			}
			assertThat(callerFailures).as("exceptions thrown at the callers").isEmpty();
			return closeMillis;
		}

		private void storm(int caller, AtomicInteger made) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			OffloadCall<?>[] recent = new OffloadCall<?>[8];
			OffloadCall<?> detached = null;
			for (int i = 0; i < CALLS_PER_SUBMITTER; i++) {
				String context = "caller-" + caller + "-" + i;
				int timeout = random.nextInt(10);
				OffloadCallSite site = (timeout < 7) ? this.untimed
						: (timeout < 9) ? this.shortTimeout : this.longTimeout;
				Kind kind = Kind.pick(random);
				if (this.withClose && i == 0 && caller == 0) {
					kind = Kind.DETACHED;
					site = this.untimed;
				}
				else if (this.withClose && i == 0 && caller == 1) {
					kind = Kind.SWALLOW_LONG;
					site = this.longTimeout;
				}
				CONTEXT.set(context);
				try {
					OffloadCall<?> call = submit(site, body(kind, context));
					recent[i % recent.length] = call;
					if (kind == Kind.DETACHED) {
						detached = call;
					}
				}
				finally {
					CONTEXT.remove();
				}
				int cancel = random.nextInt(100);
				OffloadCall<?> victim = recent[random.nextInt(recent.length)];
				if (victim != null && victim != detached && cancel < 10) {
					victim.cancel(cancel < 5);
				}
				if (i == 20 && detached != null) {
					detached.cancel(false);
				}
				made.incrementAndGet();
				checkCeiling();
				LockSupport.parkNanos(random.nextLong(2_000_000));
			}
		}

		private Callable<Object> body(Kind kind, String context) {
			return () -> {
				this.bodiesRunning.incrementAndGet();
				this.bodyThreads.add(Thread.currentThread());
				try {
					checkContext(context);
					return switch (kind) {
						case QUICK -> "quick";
						case THROW -> throw new IllegalStateException("torture");
						case ERROR -> throw new TortureError();
						case SLEEP -> {
							Thread.sleep(ThreadLocalRandom.current().nextInt(0, 9));
							yield "slept";
						}
						case LONG -> {
							Thread.sleep(1000);
							yield "long";
						}
						case SWALLOW -> swallow(800);
						case DETACHED -> {
							Thread.sleep(3000);
							yield "detached";
						}
						case SWALLOW_LONG -> swallow(3000);
						case NESTED -> nested(context);
					};
				}
				finally {
					this.bodiesRunning.decrementAndGet();
				}
			};
		}

		private void checkContext(String context) {
			if (!context.equals(CONTEXT.get())) {
				this.contextMismatches.incrementAndGet();
			}
		}

		/**
		 * Swallows interrupts (its timeout's, a cancel's) until shutdown has begun.
		 */
		private String swallow(long millis) throws InterruptedException {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
			while (System.nanoTime() < end) {
				try {
					Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
				}
				catch (InterruptedException ex) {
					if (this.closing) {
						throw ex;
					}
				}
			}
			return "swallowed";
		}

		private Object nested(String context) throws Exception {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			OffloadCallSite site = random.nextBoolean() ? this.untimed : this.shortTimeout;
			OffloadCall<Object> nested = submit(site, body(random.nextBoolean() ? Kind.QUICK : Kind.SLEEP, context));
			try {
				return nested.get(1, TimeUnit.SECONDS);
			}
			finally {
				checkContext(context);
			}
		}

		/**
		 * Returns how many calls start at once when more than the executor's capacity are
		 * made together.
		 */
		int maxAtOnce(OffloadExecutor executor) throws Exception {
			CountDownLatch release = new CountDownLatch(1);
			AtomicInteger running = new AtomicInteger();
			CountDownLatch capacityReached = new CountDownLatch(SIZE);
			List<OffloadCall<String>> probes = new ArrayList<>();
			try {
				for (int i = 0; i <= SIZE; i++) {
					probes.add(submit(this.untimed, () -> {
						running.incrementAndGet();
						capacityReached.countDown();
						release.await(5, TimeUnit.SECONDS);
						return "probe";
					}));
				}
				assertThat(capacityReached.await(5, TimeUnit.SECONDS)).as("%d calls started", SIZE).isTrue();
				// The one beyond capacity waits in the queue.
				assertThat(release.await(100, TimeUnit.MILLISECONDS)).isFalse();
				return running.get();
			}
			finally {
				release.countDown();
				for (OffloadCall<String> probe : probes) {
					assertThat(probe.get(10, TimeUnit.SECONDS)).isEqualTo("probe");
				}
			}
		}

	}

}
