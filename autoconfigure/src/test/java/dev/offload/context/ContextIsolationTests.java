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

package dev.offload.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.offload.Offload;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation under load: many callers with their own identity share two pooled workers,
 * and no body ever sees another caller's identity, or what an earlier body left behind;
 * afterwards, the application's next plain task on each worker sees no context at all.
 */
class ContextIsolationTests {

	private static final Log logger = LogFactory.getLog(ContextIsolationTests.class);

	private static final int CALLERS = 8;

	private static final int CALLS_PER_CALLER = 300;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
		.withPropertyValues("offload.executors.pair.core-size=2", "offload.executors.pair.queue-capacity=10000")
		.withBean(Checker.class);

	@Test
	void everyBodySeesExactlyItsOwnCallersContext() {
		this.contextRunner.run((context) -> {
			Checker checker = context.getBean(Checker.class);
			ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
			AtomicInteger ok = new AtomicInteger();
			AtomicInteger failedAsIntended = new AtomicInteger();
			List<String> leaks = java.util.Collections.synchronizedList(new ArrayList<>());
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int caller = 0; caller < CALLERS; caller++) {
					String user = "user-" + caller;
					done.add(callers.submit(() -> {
						Authentication authentication = new TestingAuthenticationToken(user, "secret");
						SecurityContextHolder.getContext().setAuthentication(authentication);
						List<CompletableFuture<String>> calls = new ArrayList<>();
						List<String> requestIds = new ArrayList<>();
						for (int call = 0; call < CALLS_PER_CALLER; call++) {
							String requestId = user + "/" + call;
							MDC.put("requestId", requestId);
							requestIds.add(requestId);
							calls.add(checker.check(user, requestId, call % 5 == 0));
						}
						MDC.clear();
						for (int call = 0; call < CALLS_PER_CALLER; call++) {
							String verdict;
							try {
								verdict = calls.get(call).get(10, TimeUnit.SECONDS);
							}
							catch (ExecutionException ex) {
								verdict = ex.getCause().getMessage();
								failedAsIntended.incrementAndGet();
							}
							if ("ok".equals(verdict)) {
								ok.incrementAndGet();
							}
							else {
								leaks.add(requestIds.get(call) + ": " + verdict);
							}
						}
						if (SecurityContextHolder.getContext().getAuthentication() != authentication) {
							leaks.add(user + ": the caller's own authentication changed");
						}
						SecurityContextHolder.clearContext();
						return null;
					}));
				}
				for (Future<?> future : done) {
					future.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				callers.shutdownNow();
			}
			// Afterwards, a plain task on each of the two workers (each waits for the
			// other,
			// so that both workers are checked) sees no context at all: no restore runs
			// before a plain task, so this is where a missing reset would show.
			ThreadPoolExecutor pair = ((PlatformOffloadExecutor) context.getBean(OffloadExecutors.class).get("pair"))
				.getThreadPoolExecutor();
			CountDownLatch bothRunning = new CountDownLatch(2);
			Future<String> first = pair.submit(() -> seeNothing(bothRunning));
			Future<String> second = pair.submit(() -> seeNothing(bothRunning));
			List<String> afterwards = List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
			logger.info("Isolation under load: " + (CALLERS * CALLS_PER_CALLER) + " calls from " + CALLERS
					+ " callers on 2 workers: " + ok.get() + " saw exactly their caller's context ("
					+ failedAsIntended.get() + " of them threw), " + leaks.size() + " leaks; afterwards " + afterwards);
			assertThat(leaks).isEmpty();
			assertThat(ok.get()).isEqualTo(CALLERS * CALLS_PER_CALLER);
			assertThat(failedAsIntended.get()).isEqualTo(CALLERS * CALLS_PER_CALLER / 5);
			assertThat(afterwards).containsOnly("clean");
		});
	}

	/**
	 * Waits until both workers run one, so that each worker is checked.
	 */
	private static String seeNothing(CountDownLatch bothRunning) throws InterruptedException {
		bothRunning.countDown();
		if (!bothRunning.await(5, TimeUnit.SECONDS)) {
			return "not on two workers";
		}
		boolean clean = SecurityContextHolder.getContext().getAuthentication() == null
				&& MDC.getCopyOfContextMap() == null;
		return clean ? "clean"
				: "saw " + SecurityContextHolder.getContext().getAuthentication() + " " + MDC.getCopyOfContextMap();
	}

	public static class Checker {

		@Offload("pair")
		public CompletableFuture<String> check(String user, String requestId, boolean fail) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			String seenUser = (authentication != null) ? authentication.getName() : null;
			String seenRequestId = MDC.get("requestId");
			// What an earlier body left behind: restore() replaces the worker's MDC map
			// rather than adding to it, so a body never sees it.
			String leftOver = MDC.get("leftBehind");
			String verdict = (user.equals(seenUser) && requestId.equals(seenRequestId) && leftOver == null) ? "ok"
					: "saw user " + seenUser + ", request " + seenRequestId + ", left behind " + leftOver;
			// Try to leak into the next task on this worker.
			MDC.put("leftBehind", requestId);
			SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("mallory", "x"));
			if (fail) {
				throw new IllegalStateException(verdict);
			}
			return CompletableFuture.completedFuture(verdict);
		}

	}

}
