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
package dev.offload.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;

import dev.offload.Offloader;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.reconfigure.ReconfigurationStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration refreshes racing with calls in flight: callers keep an executor busy
 * (calls that succeed, fail, time out, are cancelled or rejected) while refreshes change
 * its sizes, queue, timeout or adaptive bounds hundreds of times. Afterwards every future
 * has completed, no thread or permit is left taken, and the executor runs exactly as many
 * calls at once as its last configuration says: no call lost, no permit leaked.
 */
class RefreshRaceTests {

	private static final int REFRESHES = 200;

	private static final int CALLERS = 4;

	private static final int FINAL_SIZE = 4;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class,
				ConfigurationPropertiesRebinderAutoConfiguration.class, OffloadAutoConfiguration.class,
				OffloadRefreshAutoConfiguration.class))
		.withPropertyValues("offload.executors.io.queue-capacity=10", "offload.executors.io.timeout=300ms");

	@Test
	void platformPool() throws Exception {
		this.contextRunner.withPropertyValues("offload.executors.io.core-size=2", "offload.executors.io.max-size=2")
			.run((context) -> race(context, (random) -> {
				int core = random.nextInt(0, 8);
				return new String[] { "offload.executors.io.core-size=" + core,
						"offload.executors.io.max-size=" + random.nextInt(Math.max(core, 1), 9),
						"offload.executors.io.queue-capacity=" + random.nextInt(0, 20) };
			}, "offload.executors.io.core-size=" + FINAL_SIZE, "offload.executors.io.max-size=" + FINAL_SIZE,
					"offload.executors.io.queue-capacity=10"));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void virtualExecutor() throws Exception {
		this.contextRunner
			.withPropertyValues("offload.executors.io.virtual=true", "offload.executors.io.max-concurrency=2")
			.run((context) -> race(context,
					(random) -> new String[] { "offload.executors.io.max-concurrency=" + random.nextInt(1, 9),
							"offload.executors.io.queue-capacity=" + random.nextInt(0, 20) },
					"offload.executors.io.max-concurrency=" + FINAL_SIZE, "offload.executors.io.queue-capacity=10"));
	}

	@Test
	void adaptivePool() throws Exception {
		this.contextRunner
			.withPropertyValues("offload.executors.io.adaptive.enabled=true",
					"offload.executors.io.adaptive.max-limit=8")
			.run((context) -> race(context, (random) -> {
				int min = random.nextInt(1, 4);
				return new String[] { "offload.executors.io.adaptive.min-limit=" + min,
						"offload.executors.io.adaptive.max-limit=" + random.nextInt(Math.max(min, 3), 9),
						"offload.executors.io.queue-capacity=" + random.nextInt(0, 20) };
			}, "offload.executors.io.adaptive.min-limit=" + FINAL_SIZE,
					"offload.executors.io.adaptive.max-limit=" + FINAL_SIZE, "offload.executors.io.queue-capacity=10"));
	}

	private void race(AssertableApplicationContext context, Settings settings, String... last) throws Exception {
		OffloadExecutor executor = context.getBean(OffloadExecutors.class).find("io");
		assertThat(executor).isNotNull();
		Offloader offloader = context.getBean(Offloader.class).executor("io");
		ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
		List<CompletableFuture<?>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
		AtomicBoolean stop = new AtomicBoolean();
		CyclicBarrier start = new CyclicBarrier(CALLERS + 1);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CALLERS; i++) {
				running.add(callers.submit(() -> {
					start.await(5, TimeUnit.SECONDS);
					ThreadLocalRandom random = ThreadLocalRandom.current();
					while (!stop.get()) {
						CompletableFuture<Integer> call = offloader.call(() -> body(random.nextInt(10)));
						calls.add(call);
						if (random.nextInt(10) == 0) {
							call.cancel(true);
						}
						// Calls at a pace the pool can mostly take, not a flood of
						// rejections.
						LockSupport.parkNanos(100_000);
					}
					return null;
				}));
			}
			start.await(5, TimeUnit.SECONDS);
			ThreadLocalRandom random = ThreadLocalRandom.current();
			for (int i = 0; i < REFRESHES; i++) {
				String[] next = settings.next(random);
				String timeout = "offload.executors.io.timeout=" + (100 + random.nextInt(400)) + "ms";
				OffloadRefreshAutoConfigurationTests.refresh(context, append(next, timeout));
			}
			OffloadRefreshAutoConfigurationTests.refresh(context, append(last, "offload.executors.io.timeout=5s"));
			stop.set(true);
			for (Future<?> caller : running) {
				caller.get(10, TimeUnit.SECONDS);
			}
		}
		finally {
			stop.set(true);
			callers.shutdownNow();
		}
		List<CompletableFuture<?>> all = List.copyOf(calls);
		CompletableFuture
			.allOf(all.stream().map((call) -> call.exceptionally((ex) -> null)).toArray(CompletableFuture[]::new))
			.get(10, TimeUnit.SECONDS);
		AtomicInteger unexpected = new AtomicInteger();
		for (CompletableFuture<?> call : all) {
			try {
				call.join();
			}
			catch (CancellationException ex) {
				// cancelled by its caller
			}
			catch (CompletionException ex) {
				Throwable cause = ex.getCause();
				if (!(cause instanceof TimeoutException || cause instanceof RejectedExecutionException
						|| cause instanceof IllegalStateException)) {
					unexpected.incrementAndGet();
				}
			}
		}
		assertThat(all).as("calls made").hasSizeGreaterThan(REFRESHES * 10);
		assertThat(unexpected.get()).as("calls that failed other than by timeout, rejection or their body").isZero();
		ReconfigurationStatus status = context.getBean(ReconfigurationStatus.class);
		assertThat(status.getRefreshError("io")).as("every refresh was valid").isNull();
		awaitIdle(executor);
		assertThat(maxAtOnce(offloader, FINAL_SIZE + 2)).as("calls running at once after the storm")
			.isEqualTo(FINAL_SIZE);
	}

	private static int body(int kind) throws Exception {
		if (kind == 0) {
			throw new IllegalStateException("the body's own failure");
		}
		if (kind == 1) {
			// Long enough to time out.
			Thread.sleep(1000);
		}
		LockSupport.parkNanos(kind * 50_000L);
		return kind;
	}

	private static void awaitIdle(OffloadExecutor executor) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (executor.getActiveCount() != 0 || executor.getQueueSize() != 0) {
			assertThat(System.nanoTime())
				.as("active %d, queued %d after the storm", executor.getActiveCount(), executor.getQueueSize())
				.isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/**
	 * How many of the given number of calls run at once: all are started; once the
	 * expected number run, the others get 200 ms to start too (they must not).
	 */
	private static int maxAtOnce(Offloader offloader, int calls) throws Exception {
		AtomicInteger started = new AtomicInteger();
		CountDownLatch enough = new CountDownLatch(FINAL_SIZE);
		CountDownLatch release = new CountDownLatch(1);
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			futures.add(offloader.run(() -> {
				started.incrementAndGet();
				enough.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		assertThat(enough.await(5, TimeUnit.SECONDS)).as("%d calls started", FINAL_SIZE).isTrue();
		Thread.sleep(200);
		int atOnce = started.get();
		release.countDown();
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		return atOnce;
	}

	private static String[] append(String[] properties, String property) {
		String[] all = java.util.Arrays.copyOf(properties, properties.length + 1);
		all[properties.length] = property;
		return all;
	}

	@FunctionalInterface
	interface Settings {

		String[] next(ThreadLocalRandom random);

	}

}
