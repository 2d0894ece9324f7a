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

package dev.offload.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.offload.Offloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Resizes live executors of the sample application over real HTTP with the
 * {@code offload} endpoint's write operation, allowed here by
 * {@code management.endpoint.offload.access=unrestricted} and to the {@code admin} user
 * only, and checks what each change does to the calls. Each test resizes an executor of
 * its own (the context is shared), and the sample's executors stay as they are for the
 * other tests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SampleHttp.PROPERTIES, "management.endpoint.offload.access=unrestricted",
				"offload.executors.pool.core-size=1", "offload.executors.pool.queue-capacity=10",
				"offload.executors.queued.core-size=1", "offload.executors.queued.queue-capacity=1",
				"offload.executors.shrinking.core-size=4", "offload.executors.shrinking.queue-capacity=50",
				"offload.executors.fixed.core-size=2", "offload.executors.reports.bean=applicationTaskExecutor" })
@ExtendWith(OutputCaptureExtension.class)
class ResizeTests {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Offloader offloader;

	private SampleHttp http;

	private final CountDownLatch release = new CountDownLatch(1);

	@DynamicPropertySource
	static void virtualExecutor(DynamicPropertyRegistry registry) {
		if (Runtime.version().feature() >= 21) {
			registry.add("offload.executors.limited.virtual", () -> "true");
			registry.add("offload.executors.limited.max-concurrency", () -> "1");
			registry.add("offload.executors.limited.queue-capacity", () -> "10");
		}
	}

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@AfterEach
	void releaseCalls() {
		this.release.countDown();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21+")
	void raisingMaxConcurrencyRunsThatManyCallsAtOnce() throws Exception {
		CountDownLatch started = new CountDownLatch(3);
		List<CompletableFuture<String>> calls = blockingCalls("limited", 5, started);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 2);
		assertThat(describe("limited")).containsEntry("active", 1).containsEntry("queued", 4);
		HttpResponse<String> response = resize("limited", "{\"maxConcurrency\": 3}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat((Integer) JsonPath.read(response.body(), "$.maxConcurrency")).isEqualTo(3);
		assertThat(started.await(5, TimeUnit.SECONDS)).as("three calls running at once").isTrue();
		assertThat(describe("limited")).containsEntry("maxConcurrency", 3)
			.containsEntry("active", 3)
			.containsEntry("queued", 2);
		this.release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

	@Test
	void raisingCoreAndMaxSizeRunsThatManyCallsAtOnce() throws Exception {
		CountDownLatch started = new CountDownLatch(3);
		List<CompletableFuture<String>> calls = blockingCalls("pool", 4, started);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 2);
		assertThat(describe("pool")).containsEntry("active", 1).containsEntry("queued", 3);
		HttpResponse<String> response = resize("pool", "{\"coreSize\": 3, \"maxSize\": 3}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(started.await(5, TimeUnit.SECONDS)).as("three calls running at once").isTrue();
		assertThat(describe("pool")).containsEntry("coreSize", 3)
			.containsEntry("maxSize", 3)
			.containsEntry("active", 3)
			.containsEntry("queued", 1);
		assertThat(get("/actuator/prometheus").body()).contains("executor_pool_core_threads{name=\"offload.pool\"} 3")
			.contains("executor_pool_max_threads{name=\"offload.pool\"} 3");
		this.release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

	@Test
	void raisingQueueCapacityAcceptsMoreCallsBeforeRejecting() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		List<CompletableFuture<String>> calls = blockingCalls("queued", 1, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(acceptedBeforeRejection("queued", calls)).isEqualTo(1);
		HttpResponse<String> response = resize("queued", "{\"queueCapacity\": 4}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(acceptedBeforeRejection("queued", calls)).as("4 places, 1 taken").isEqualTo(3);
		assertThat(describe("queued")).containsEntry("queueCapacity", 4).containsEntry("queued", 4);
		assertThat(get("/actuator/prometheus").body())
			.contains("executor_queue_remaining_tasks{name=\"offload.queued\"} 0");
		this.release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("done");
		}
	}

	@Test
	void shrinkingUnderLoadLosesNoCall(CapturedOutput output) throws Exception {
		CountDownLatch started = new CountDownLatch(4);
		List<CompletableFuture<String>> calls = blockingCalls("shrinking", 4, started);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 20; i++) {
			calls.add(this.offloader.executor("shrinking").call(() -> "ran " + ran.incrementAndGet()));
		}
		assertThat(describe("shrinking")).containsEntry("active", 4).containsEntry("queued", 20);
		HttpResponse<String> response = resize("shrinking",
				"{\"coreSize\": 1, \"maxSize\": 1, \"queueCapacity\": 5, \"timeout\": \"30s\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(describe("shrinking")).containsEntry("coreSize", 1)
			.containsEntry("maxSize", 1)
			.containsEntry("queueCapacity", 5)
			.containsEntry("timeout", "PT30S")
			.containsEntry("active", 4)
			.containsEntry("queued", 20);
		CompletableFuture<String> refused = this.offloader.executor("shrinking").call(() -> "refused");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(RejectedExecutionException.class);
		this.release.countDown();
		for (CompletableFuture<String> call : calls) {
			assertThat(call.get(5, TimeUnit.SECONDS)).isNotNull();
		}
		assertThat(ran).hasValue(20);
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> ((Integer) describe("shrinking").get("poolSize")) == 1);
		assertThat(output).contains("Offload executor 'shrinking' resized by admin: core-size 4 -> 1, "
				+ "max-size 4 -> 1, queue-capacity 50 -> 5, timeout none -> PT30S");
	}

	@Test
	void invalidValuesAnswer400WithTheStartupMessage() throws Exception {
		HttpResponse<String> response = resize("fixed", "{\"coreSize\": -1}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(response.body(), "$.message")).isEqualTo(
				"Invalid offload setting 'offload.executors.fixed.core-size': it is -1, but it must be 0 or more.");
		assertThat((String) JsonPath.read(response.body(), "$.action"))
			.isEqualTo("Set offload.executors.fixed.core-size to 0 or more, or remove it to use the default.");
		response = resize("fixed", "{\"maxConcurrency\": 5}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(response.body(), "$.message")).contains("only applies to virtual executors");
		response = resize("fixed", "{\"timeout\": \"soon\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(describe("fixed")).containsEntry("coreSize", 2).doesNotContainKey("timeout");
	}

	@Test
	void beanExecutorAnswers400SayingWhy() throws Exception {
		HttpResponse<String> response = resize("reports", "{\"coreSize\": 4}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat((String) JsonPath.read(response.body(), "$.message"))
			.isEqualTo("Invalid offload setting 'offload.executors.reports.bean': executor 'reports' runs calls on "
					+ "the application's Executor bean 'applicationTaskExecutor', which keeps its owner's settings, "
					+ "so Offload cannot resize it.");
	}

	@Test
	void unknownExecutorIsNotFound() throws Exception {
		assertThat(resize("nope", "{\"coreSize\": 4}").statusCode()).isEqualTo(404);
	}

	@Test
	void onlyTheAdminMayResize() throws Exception {
		HttpResponse<String> response = this.http.post("/actuator/offload/fixed", "alice", "alice-pw",
				"{\"coreSize\": 2}");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.http.post("/actuator/offload/fixed", "alice", "wrong", "{\"coreSize\": 2}").statusCode())
			.isEqualTo(401);
		assertThat(describe("fixed")).containsEntry("coreSize", 2);
	}

	private List<CompletableFuture<String>> blockingCalls(String executor, int count, CountDownLatch started) {
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			calls.add(this.offloader.executor(executor).call(() -> {
				started.countDown();
				this.release.await(10, TimeUnit.SECONDS);
				return "done";
			}));
		}
		return calls;
	}

	/**
	 * Submits calls that block until the test ends until one is rejected, and returns how
	 * many were accepted; the accepted ones are added to the calls.
	 */
	private int acceptedBeforeRejection(String executor, List<CompletableFuture<String>> calls) {
		for (int accepted = 0; accepted < 100; accepted++) {
			CompletableFuture<String> call = this.offloader.executor(executor).call(() -> {
				this.release.await(10, TimeUnit.SECONDS);
				return "done";
			});
			if (call.isCompletedExceptionally()) {
				return accepted;
			}
			calls.add(call);
		}
		throw new AssertionError("Never rejected");
	}

	private HttpResponse<String> resize(String executor, String json) throws Exception {
		return this.http.post("/actuator/offload/" + executor, "admin", "admin-pw", json);
	}

	private Map<String, Object> describe(String executor) throws Exception {
		return JsonPath.read(get("/actuator/offload").body(), "$.executors." + executor);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpResponse<String> response = this.http.get(path, "admin", "admin-pw");
		assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
		return response;
	}

}
