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

package dev.offload.sample.webflux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.offload.sample.support.CallResult;
import dev.offload.sample.support.ErrorBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every offloading endpoint answers over real HTTP, its body ran on a worker of the right
 * executor with the request's id and user, and BlockHound saw no blocking call on an
 * event-loop thread.
 */
class OffloadedEndpointsTests extends SampleHttpTests {

	@ParameterizedTest
	@CsvSource({ "/api/low-stock, offload-jdbc-", "/api/orders, offload-jdbc-", "/api/upstream, offload-http-",
			"/api/warehouse, offload-legacy-", "/api/kotlin/orders, offload-jdbc-",
			"/api/kotlin/warehouse, offload-legacy-" })
	void bodyRunsOnAWorkerWithTheRequestIdAndUserAndNothingBlocksTheEventLoop(String path, String workerPrefix) {
		CallResult result = get(path).expectStatus()
			.isOk()
			.expectBody(CallResult.class)
			.returnResult()
			.getResponseBody();
		assertThat(result).isNotNull();
		assertThat(result.thread()).startsWith(workerPrefix);
		assertThat(result.requestId()).isEqualTo(this.requestId);
		assertThat(result.user()).isEqualTo("alice");
		assertThat(BlockHoundSupport.detections()).isEmpty();
	}

	@Test
	void fanOutRunsTheFourCallsInParallelOnTheirExecutors() {
		FanOutResponse response = get("/api/fanout").expectStatus()
			.isOk()
			.expectBody(FanOutResponse.class)
			.returnResult()
			.getResponseBody();
		assertThat(response).isNotNull();
		assertThat(response.requestId()).isEqualTo(this.requestId);
		assertThat(response.user()).isEqualTo("alice");
		assertThat(response.calls()).extracting(CallResult::name)
			.containsExactly("lowStock", "orderSummary", "upstream", "warehouse");
		assertThat(response.calls()).extracting(CallResult::thread)
			.satisfiesExactly((thread) -> assertThat(thread).startsWith("offload-jdbc-"),
					(thread) -> assertThat(thread).startsWith("offload-jdbc-"),
					(thread) -> assertThat(thread).startsWith("offload-http-"),
					(thread) -> assertThat(thread).startsWith("offload-legacy-"));
		assertThat(response.calls()).allSatisfy((call) -> {
			assertThat(call.requestId()).isEqualTo(this.requestId);
			assertThat(call.user()).isEqualTo("alice");
		});
		assertThat(response.totalMillis()).isLessThan(response.sumOfCallMillis());
		assertThat(BlockHoundSupport.detections()).isEmpty();
	}

	@Test
	void pingIsAnsweredOnTheEventLoop() {
		get("/api/ping").expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).matches("pong from " + SampleHttpTests.EVENT_LOOP_THREAD));
		assertThat(BlockHoundSupport.detections()).isEmpty();
	}

	@Test
	void callThatOutlastsItsTimeoutIsAnsweredWithGatewayTimeout() {
		get("/api/timeout").expectStatus()
			.isEqualTo(504)
			.expectBody(ErrorBody.class)
			.value((body) -> assertThat(body.message()).contains("slowReport()").contains("timed out after 500ms"));
		assertThat(BlockHoundSupport.detections()).isEmpty();
	}

	@Test
	void metricsCountTheOffloadedCalls() {
		get("/api/orders").expectStatus().isOk();
		get("/actuator/prometheus").expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("offload_calls_seconds_count{")
				.containsPattern("offload_calls_seconds_count\\{[^}]*executor=\"jdbc\"[^}]*method=\"orderSummary\""));
	}

}
