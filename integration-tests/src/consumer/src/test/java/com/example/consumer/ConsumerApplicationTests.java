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

package com.example.consumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.offload.test.OffloadQuiescence;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application with the Offload starter, on a random port, over real HTTP as user
 * alice. @WithMetricsExport (one file per Spring Boot line) turns on the metrics export
 * that a @SpringBootTest leaves off; the OffloadQuiescence bean comes with Offload's test
 * artifact.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithMetricsExport
class ConsumerApplicationTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private OffloadQuiescence offload;

	// CI sets it on a JDK 21+; the offload executors are then virtual.
	@Value("${spring.threads.virtual.enabled:false}")
	private boolean virtualThreads;

	@Test
	void offloadedCallRunsOnTheWorkerWithTheCallersMdcAndUser() throws Exception {
		HttpResponse<String> response = get("/report", "it-request-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String report = response.body();
		assertThat((String) JsonPath.read(report, "$.thread")).matches("offload-reports-\\d+");
		assertThat((String) JsonPath.read(report, "$.requestId")).isEqualTo("it-request-1");
		assertThat((String) JsonPath.read(report, "$.user")).isEqualTo("alice");
		assertThat((Integer) JsonPath.read(report, "$.answer")).isEqualTo(42);
	}

	@Test
	void offloadEndpointDescribesTheExecutors() throws Exception {
		HttpResponse<String> response = get("/actuator/offload", "it-request-2");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, Object> reports = JsonPath.read(response.body(), "$.executors.reports");
		assertThat(reports).containsEntry("type", this.virtualThreads ? "virtual" : "platform")
			.containsEntry("timeout", "PT5S")
			.containsKeys("active", "queued", "rejected", "timedOut");
		if (!this.virtualThreads) {
			assertThat(reports).containsEntry("coreSize", 2).containsKey("completed");
		}
		assertThat((Map<String, Object>) JsonPath.read(response.body(), "$.executors.default")).containsKey("type");
	}

	@Test
	void prometheusScrapeHasTheOffloadMeters() throws Exception {
		assertThat(get("/report", "it-request-3").statusCode()).isEqualTo(200);
		String success = "offload_calls_seconds_count\\{[^}]*executor=\"reports\"[^}]*outcome=\"success\"[^}]*\\} [1-9]";
		// The call's timer is recorded as its future completes, which may be just after the
		// response was written: wait until no call is in flight.
		this.offload.await();
		HttpResponse<String> response = get("/actuator/prometheus", "it-request-4");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String scrape = response.body();
		assertThat(scrape).containsPattern(success)
			.contains("offload_wait_seconds_count{executor=\"reports\"}")
			.contains(this.virtualThreads ? "executor_active_threads{name=\"offload.reports\"}"
					: "executor_pool_core_threads{name=\"offload.reports\"}");
	}

	@Test
	void anonymousCallerIsRefused() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/report"))
			.timeout(Duration.ofSeconds(10))
			.build();
		assertThat(this.client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> get(String path, String requestId) throws Exception {
		String credentials = Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + credentials)
			.header("X-Request-Id", requestId)
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
