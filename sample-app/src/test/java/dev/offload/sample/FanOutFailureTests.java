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
 * {@code GET /api/fanout?fail=upstream} over real HTTP: the first failure cancels the
 * other calls at once. The queries and the warehouse take 2 s here rather than the
 * sample's 100-120 ms, so that the upstream's failure (after 50 ms) comes first by a wide
 * margin even on a loaded machine, where the failing call itself may take a few hundred
 * ms.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SampleHttp.PROPERTIES, "sample.jdbc.delay=2s", "sample.warehouse.delay=2s" })
class FanOutFailureTests {

	@Value("${local.server.port}")
	private int port;

	private SampleHttp http;

	@BeforeEach
	void setUp() {
		this.http = new SampleHttp(this.port);
	}

	@Test
	void failingUpstreamCancelsTheOtherCallsAtOnce() throws Exception {
		HttpResponse<String> response = this.http.get("/api/fanout?fail=upstream", "alice", "alice-pw", "fail-1");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
		assertThat((String) JsonPath.read(response.body(), "$.outcome")).isEqualTo("failed");
		assertThat((String) JsonPath.read(response.body(), "$.cause")).contains("502");
		List<Map<String, Object>> members = JsonPath.read(response.body(), "$.members");
		assertThat(members).extracting((member) -> member.get("name"))
			.containsExactly("lowStock", "orderSummary", "upstream", "warehouse");
		assertThat(members).extracting((member) -> member.get("outcome"))
			.containsExactly("cancelled", "cancelled", "failed", "cancelled");
		// The queries (2 s of pg_sleep) were interrupted when the upstream failed: they
		// held their threads for about as long as the upstream took to fail, not for 2 s.
		for (Map<String, Object> member : members.subList(0, 2)) {
			assertThat(((Number) member.get("heldThreadMillis")).longValue()).as("%s", member).isLessThan(1000);
			assertThat((String) member.get("error")).contains("member #3")
				.contains("failingUpstream")
				.contains("failed");
		}
		// Failed at once: allOf would have waited for the warehouse's 2 s.
		long total = ((Number) JsonPath.read(response.body(), "$.totalMillis")).longValue();
		assertThat(total).as(response.body()).isLessThan(1000);
	}

}
