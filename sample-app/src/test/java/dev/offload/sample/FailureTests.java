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
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.offload.test.OffloadQuiescence;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A timed-out call and a rejected call over real HTTP: clear statuses and messages, no
 * stack trace.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
class FailureTests {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private OffloadQuiescence offload;

	private SampleHttp http;

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void timedOutCallAnswers504() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/timeout", "alice", "alice-pw");
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
		Map<String, Object> body = JsonPath.read(response.body(), "$");
		assertThat(body).containsOnlyKeys("status", "error", "message")
			.containsEntry("status", 504)
			.containsEntry("error", "Gateway Timeout");
		assertThat((String) body.get("message")).contains("OffloadedCalls.slowReport()", "'http'",
				"timed out after 500ms");
		assertThat(millis).as("answered after the 500ms timeout, not the 2s upstream delay").isLessThan(1800);
	}

	@Test
	void timedOutQueryAnswers504() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/timeout?dependency=db", "alice", "alice-pw");
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
		assertThat((String) JsonPath.read(response.body(), "$.message")).contains("OffloadedCalls.slowQuery()",
				"'jdbc'", "timed out after 500ms");
		assertThat(millis).as("answered after the 500ms timeout, not the 2s query").isLessThan(1800);
	}

	/**
	 * The legacy client ignores interrupts; its request's cancel hook aborts it, so the
	 * worker is free at once rather than when the 2 s answer arrives.
	 */
	@Test
	void timedOutLegacyCallAnswers504AndItsCancelHookFreesTheWorker() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.get("/api/timeout?dependency=warehouse", "alice", "alice-pw");
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
		assertThat((String) JsonPath.read(response.body(), "$.message")).contains("'legacy'", "timed out after 500ms");
		assertThat(millis).isLessThan(1800);
		// The call stays in flight until its body has returned: fails listing it if the
		// worker is still busy 500 ms after the timeout.
		this.offload.onExecutors("legacy").await(Duration.ofMillis(500));
	}

	@Test
	void unknownDependencyAnswers400() throws Exception {
		assertThat(this.http.get("/api/timeout?dependency=ftp", "alice", "alice-pw").statusCode()).isEqualTo(400);
	}

	@Test
	void rejectedCallAnswers503() throws Exception {
		HttpResponse<String> response = this.http.get("/api/saturated", "bob", "bob-pw");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		Map<String, Object> body = JsonPath.read(response.body(), "$");
		assertThat(body).containsOnlyKeys("status", "error", "message")
			.containsEntry("status", 503)
			.containsEntry("error", "Service Unavailable");
		assertThat((String) body.get("message")).contains("'tiny' is saturated", "OffloadedCalls.export()");
	}

}
