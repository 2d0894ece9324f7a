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

import dev.offload.sample.support.CallResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP Basic in front of everything but the health endpoint.
 */
class SecurityTests extends SampleHttpTests {

	@Test
	void requestWithoutCredentialsIsUnauthorized() {
		this.client.get()
			.uri("/api/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Basic realm=\"Realm\"");
	}

	@Test
	void requestWithAWrongPasswordIsUnauthorized() {
		this.client.get()
			.uri("/api/orders")
			.headers((headers) -> headers.setBasicAuth("alice", "bob-pw"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void healthIsOpenToAnyone() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void eachUserIsSeenByTheWorker() {
		CallResult result = this.client.get()
			.uri("/api/orders")
			.headers((headers) -> headers.setBasicAuth("bob", "bob-pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(CallResult.class)
			.returnResult()
			.getResponseBody();
		assertThat(result).isNotNull();
		assertThat(result.user()).isEqualTo("bob");
		assertThat(result.requestId()).matches("[0-9a-f]{8}");
	}

}
