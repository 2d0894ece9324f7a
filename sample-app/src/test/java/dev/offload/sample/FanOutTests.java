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
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/fanout} and {@code GET /api/sequential} over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
class FanOutTests {

	@Value("${local.server.port}")
	private int port;

	private SampleHttp http;

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void fanOutRunsTheFourCallsInParallel() throws Exception {
		HttpResponse<String> response = this.http.get("/api/fanout", "alice", "alice-pw", "fan-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("fan-1");
		List<Map<String, Object>> calls = JsonPath.read(response.body(), "$.calls");
		assertThat(calls).extracting((call) -> call.get("name"))
			.containsExactly("lowStock", "orderSummary", "upstream", "warehouse");
		assertThat(calls).extracting((call) -> call.get("executor")).containsExactly("jdbc", "jdbc", "http", "legacy");
		long sum = 0;
		for (Map<String, Object> call : calls) {
			long millis = ((Number) call.get("millis")).longValue();
			assertThat(millis).as("%s", call).isGreaterThanOrEqualTo(50);
			assertThat((String) call.get("thread")).startsWith("offload-" + call.get("executor") + "-");
			sum += millis;
		}
		long total = ((Number) JsonPath.read(response.body(), "$.totalMillis")).longValue();
		assertThat((String) JsonPath.read(response.body(), "$.outcome")).isEqualTo("succeeded");
		List<Map<String, Object>> members = JsonPath.read(response.body(), "$.members");
		assertThat(members).extracting((member) -> member.get("outcome")).containsOnly("succeeded");
		assertThat(((Number) JsonPath.read(response.body(), "$.sumOfCallMillis")).longValue()).isEqualTo(sum);
		assertThat(total).as("total of %s", response.body()).isLessThan((long) (0.75 * sum));
	}

	@Test
	void eachWorkerSeesTheCallersRequestIdAndUser() throws Exception {
		for (String user : List.of("alice", "bob")) {
			String requestId = "ctx-" + user;
			HttpResponse<String> response = this.http.get("/api/fanout", user, user + "-pw", requestId);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat((String) JsonPath.read(response.body(), "$.requestId")).isEqualTo(requestId);
			assertThat((String) JsonPath.read(response.body(), "$.user")).isEqualTo(user);
			List<Map<String, Object>> calls = JsonPath.read(response.body(), "$.calls");
			assertThat(calls).hasSize(4).allSatisfy((call) -> {
				assertThat(call).containsEntry("requestId", requestId).containsEntry("user", user);
				assertThat((String) call.get("thread")).startsWith("offload-");
			});
		}
	}

	@Test
	void deadlineCancelsTheCallsStillRunning() throws Exception {
		HttpResponse<String> response = this.http.get("/api/fanout?deadline=60ms", "bob", "bob-pw", "deadline-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
		assertThat((String) JsonPath.read(response.body(), "$.outcome")).isEqualTo("timed out");
		assertThat((String) JsonPath.read(response.body(), "$.cause"))
			.startsWith("Offload scope timed out after 60ms with 4 of 4 member(s) still running: #1 ");
		List<Map<String, Object>> members = JsonPath.read(response.body(), "$.members");
		assertThat(members).extracting((member) -> member.get("outcome")).containsOnly("cancelled");
		assertThat(members).extracting((member) -> (String) member.get("error"))
			.containsOnly("Cancelled by its offload scope: its deadline of 60ms elapsed");
	}

	@Test
	void sequentialRunsTheCallsOneAfterAnotherOnTheRequestThread() throws Exception {
		HttpResponse<String> response = this.http.get("/api/sequential", "bob", "bob-pw", "seq-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Map<String, Object>> calls = JsonPath.read(response.body(), "$.calls");
		assertThat(calls).hasSize(4).allSatisfy((call) -> {
			assertThat(call).containsEntry("executor", "none")
				.containsEntry("requestId", "seq-1")
				.containsEntry("user", "bob");
			assertThat((String) call.get("thread")).startsWith("http-nio-");
		});
		long total = ((Number) JsonPath.read(response.body(), "$.totalMillis")).longValue();
		long sum = ((Number) JsonPath.read(response.body(), "$.sumOfCallMillis")).longValue();
		assertThat(total).isGreaterThanOrEqualTo(sum);
	}

}
