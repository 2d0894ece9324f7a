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

package com.example.cloud;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.configserver.ConfigServerApplication;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Cloud Config Server (native profile, on a directory of the test's own) and
 * the client application with the Offload starter, both on random ports in this JVM, over
 * real HTTP: the client's `io` executor is declared only in the server's file; a change to
 * that file reaches the executor with `POST /actuator/refresh` on the client, seen in
 * `GET /actuator/offload` and in how many calls run at once; an invalid value leaves the
 * executor as it was and the endpoint says why; a key that cannot change live is shown as
 * pending a restart.
 */
class ConfigServerRefreshTests {

	private static final String IO = "offload.executors.io.";

	/** Calls started at once in each round, more than the executor ever runs at once. */
	private static final int CALLS = 8;

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	static Path repository;

	private static ConfigurableApplicationContext server;

	private static ConfigurableApplicationContext client;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

	@BeforeAll
	static void startServerAndClient() throws IOException {
		writeClientConfiguration(2, 2, null);
		// Its own configuration name: the client's application.properties is on this
		// classpath too. The server's jar turns the Config Client off (its default
		// spring.cloud.config.enabled=false), so the client turns it on again: an application
		// without the server's jar needs no such setting.
		server = new SpringApplicationBuilder(ConfigServerApplication.class).main(ConfigServerApplication.class)
			.run("--spring.config.name=config-server", "--spring.profiles.active=native",
					"--spring.cloud.config.server.native.search-locations=" + repository.toUri(), "--server.port=0");
		client = new SpringApplicationBuilder(CloudClientApplication.class).main(CloudClientApplication.class)
			.run("--server.port=0", "--spring.config.import=configserver:http://localhost:" + port(server),
					"--spring.cloud.config.enabled=true");
	}

	@AfterAll
	static void stopClientAndServer() {
		if (client != null) {
			client.close();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void executorFollowsTheConfigServersFileOnRefresh() throws Exception {
		assertThat(executor()).as("at startup, from the Config Server")
			.containsEntry("type", "platform")
			.containsEntry("coreSize", 2)
			.containsEntry("maxSize", 2);
		assertThat(callsAtOnce(2).maxRunning()).as("calls at once at startup").isEqualTo(2);

		writeClientConfiguration(6, 6, null);
		assertThat(refresh()).as("keys changed by the refresh").contains(IO + "core-size", IO + "max-size");
		Map<String, Object> resized = executor();
		assertThat(resized).as("after the refresh to 6").containsEntry("coreSize", 6).containsEntry("maxSize", 6);
		assertThat(resized.get("refreshError")).as("refreshError after a valid refresh").isNull();
		assertThat(callsAtOnce(6).maxRunning()).as("calls at once after the refresh to 6").isEqualTo(6);

		writeClientConfiguration(6, 3, null);
		assertThat(refresh()).as("keys changed by the refresh").contains(IO + "max-size");
		Map<String, Object> refused = executor();
		assertThat(refused).as("after max-size 3 below core-size 6").containsEntry("coreSize", 6).containsEntry("maxSize", 6);
		assertThat(refused.get("refreshError")).as("refreshError after max-size 3 below core-size 6")
			.asString()
			.contains(IO + "max-size");
		assertThat(callsAtOnce(6).maxRunning()).as("calls at once after the refused refresh").isEqualTo(6);

		writeClientConfiguration(6, 6, "renamed-");
		assertThat(refresh()).as("keys changed by the refresh").contains(IO + "max-size", IO + "thread-name-prefix");
		Map<String, Object> pending = executor();
		assertThat(pending).as("after a valid refresh with a new thread-name-prefix")
			.containsEntry("coreSize", 6)
			.containsEntry("maxSize", 6);
		assertThat(pending.get("refreshError")).as("refreshError once a refresh applied the executor's configuration")
			.isNull();
		assertThat(pending.get("pendingRestart")).as("pendingRestart")
			.isEqualTo(Map.of(IO + "thread-name-prefix", "renamed-"));
		Round round = callsAtOnce(6);
		assertThat(round.maxRunning()).as("calls at once after the new thread-name-prefix").isEqualTo(6);
		assertThat(round.threads()).as("threads after the new thread-name-prefix, which waits for a restart")
			.allMatch((name) -> name.startsWith("offload-io-"));
	}

	/**
	 * Starts {@value #CALLS} calls on the `io` executor, each blocking until released; once
	 * `expected` of them run, checks that the endpoint sees that many active and the rest
	 * queued, then releases them all.
	 */
	private Round callsAtOnce(int expected) throws Exception {
		Gate gate = new Gate();
		IoCalls io = client.getBean(IoCalls.class);
		List<CompletableFuture<String>> calls = new ArrayList<>();
		try {
			for (int i = 0; i < CALLS; i++) {
				calls.add(io.run(gate));
			}
			assertThat(gate.awaitStarted(expected)).as("%d calls running at once within %s (%d running)", expected, WAIT,
					gate.running.get())
				.isTrue();
			assertThat(executor()).as("while %d calls run", expected)
				.containsEntry("active", expected)
				.containsEntry("queued", CALLS - expected);
		}
		finally {
			gate.open.countDown();
		}
		Set<String> threads = ConcurrentHashMap.newKeySet();
		for (CompletableFuture<String> call : calls) {
			threads.add(call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
		}
		return new Round(gate.maxRunning.get(), threads);
	}

	private Map<String, Object> executor() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(clientUri("/actuator/offload")).GET());
		return JsonPath.read(response.body(), "$.executors.io");
	}

	private List<String> refresh() throws Exception {
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(clientUri("/actuator/refresh")).POST(HttpRequest.BodyPublishers.noBody()));
		return JsonPath.read(response.body(), "$");
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		HttpResponse<String> response = this.http.send(request.timeout(WAIT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s: %s", response.request(), response.body()).isEqualTo(200);
		return response;
	}

	private static URI clientUri(String path) {
		return URI.create("http://localhost:" + port(client) + path);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/** The client's file in the server's directory: what an operator edits. */
	private static void writeClientConfiguration(int coreSize, int maxSize, String threadNamePrefix)
			throws IOException {
		StringBuilder properties = new StringBuilder();
		properties.append(IO).append("core-size=").append(coreSize).append('\n');
		properties.append(IO).append("max-size=").append(maxSize).append('\n');
		properties.append(IO).append("queue-capacity=100\n");
		properties.append(IO).append("timeout=30s\n");
		if (threadNamePrefix != null) {
			properties.append(IO).append("thread-name-prefix=").append(threadNamePrefix).append('\n');
		}
		Files.writeString(repository.resolve("offload-cloud-client.properties"), properties);
	}

	private record Round(int maxRunning, Set<String> threads) {
	}

	/** A body that blocks until the test opens the gate, counting the bodies running at once. */
	private static final class Gate implements Runnable {

		private final Semaphore started = new Semaphore(0);

		private final CountDownLatch open = new CountDownLatch(1);

		private final AtomicInteger running = new AtomicInteger();

		private final AtomicInteger maxRunning = new AtomicInteger();

		@Override
		public void run() {
			this.maxRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
			this.started.release();
			try {
				if (!this.open.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException("The gate was not opened within " + WAIT);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			finally {
				this.running.decrementAndGet();
			}
		}

		boolean awaitStarted(int calls) throws InterruptedException {
			return this.started.tryAcquire(calls, WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}

	}

}
