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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP Basic over real HTTP: the API and the Actuator need a demo user, health does not.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
class SecurityTests {

	@Value("${local.server.port}")
	private int port;

	private SampleHttp http;

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void unauthenticatedRequestIsRefused() throws Exception {
		HttpResponse<String> response = this.http.get("/api/fanout");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Basic"));
		assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
		assertThat(response.body()).doesNotContain("calls");
	}

	@Test
	void wrongPasswordIsRefused() throws Exception {
		assertThat(this.http.get("/api/fanout", "alice", "bob-pw").statusCode()).isEqualTo(401);
	}

	@Test
	void actuatorNeedsAUserButHealthDoesNot() throws Exception {
		assertThat(this.http.get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(this.http.get("/actuator/offload").statusCode()).isEqualTo(401);
		assertThat(this.http.get("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(this.http.get("/actuator/offload", "bob", "bob-pw").statusCode()).isEqualTo(200);
	}

}
