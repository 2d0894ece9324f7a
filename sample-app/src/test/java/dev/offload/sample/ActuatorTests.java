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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.offload.Offloader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample application on a random port and reads the {@code offload} endpoint
 * and the Prometheus scrape over HTTP, as a demo user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
class ActuatorTests {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private FileStatsService fileStats;

	@Autowired
	private Offloader offloader;

	@Test
	void offloadEndpointDescribesEveryExecutor(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("lines.txt"), "a\nb\n");
		assertThat(this.fileStats.countLines(file).get(5, TimeUnit.SECONDS).lines()).isEqualTo(2);
		HttpResponse<String> response = get("/actuator/offload");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> files = JsonPath.read(response.body(), "$.executors.files");
		assertThat(files).containsEntry("type", "platform")
			.containsEntry("coreSize", 4)
			.containsEntry("maxSize", 4)
			.containsEntry("queueCapacity", 100)
			.containsEntry("rejected", 0)
			.containsEntry("timedOut", 0)
			.containsEntry("timeout", "PT5S")
			.containsKeys("active", "queued", "poolSize", "completed");
		assertThat((Integer) files.get("completed")).isPositive();
		Map<String, Object> defaultExecutor = JsonPath.read(response.body(), "$.executors.default");
		assertThat(defaultExecutor).containsEntry("type", "platform")
			.containsEntry("coreSize", 16)
			.containsEntry("queueCapacity", 1000)
			.containsKeys("active", "queued", "poolSize", "maxSize", "completed", "rejected", "timedOut")
			.doesNotContainKey("timeout");
	}

	@Test
	void prometheusShowsTheCallsOfEachSite(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("lines.txt"), "a\n");
		this.fileStats.countLines(file).get(5, TimeUnit.SECONDS);
		this.offloader.executor("files").call(() -> Files.size(file)).get(5, TimeUnit.SECONDS);
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		String scrape = response.body();
		assertThat(
				count(scrape,
						"offload_calls_seconds_count{class=\"dev.offload.sample.FileStatsService\","
								+ "executor=\"files\",method=\"countLines\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, "offload_calls_seconds_count{class=\"dev.offload.Offloader\",executor=\"files\","
				+ "method=\"call\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, "offload_wait_seconds_count{executor=\"files\"}")).isGreaterThanOrEqualTo(2);
		assertThat(scrape).contains("executor_active_threads{name=\"offload.files\"}")
			.contains("executor_pool_core_threads{name=\"offload.files\"} 4")
			.contains("executor_queue_remaining_tasks{name=\"offload.default\"}");
	}

	@Test
	void offloadEndpointAndPrometheusShowTheCallsJustMade() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		assertThat(http.get("/api/fanout", "alice", "alice-pw").statusCode()).isEqualTo(200);
		assertThat(http.get("/api/timeout", "alice", "alice-pw").statusCode()).isEqualTo(504);
		assertThat(http.get("/api/saturated", "alice", "alice-pw").statusCode()).isEqualTo(503);

		String offload = get("/actuator/offload").body();
		for (String executor : new String[] { "jdbc", "http", "legacy", "tiny" }) {
			Map<String, Object> described = JsonPath.read(offload, "$.executors." + executor);
			assertThat((Integer) described.get("completed")).as(executor).isPositive();
		}
		Map<String, Object> tiny = JsonPath.read(offload, "$.executors.tiny");
		assertThat(tiny).containsEntry("coreSize", 1).containsEntry("maxSize", 1).containsEntry("queueCapacity", 0);
		assertThat((Integer) tiny.get("rejected")).isPositive();
		assertThat((Integer) JsonPath.read(offload, "$.executors.http.timedOut")).isPositive();

		String scrape = get("/actuator/prometheus").body();
		String offloaded = "offload_calls_seconds_count{class=\"dev.offload.sample.OffloadedCalls\",";
		assertThat(count(scrape, offloaded + "executor=\"jdbc\",method=\"lowStock\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, offloaded + "executor=\"jdbc\",method=\"orderSummary\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, offloaded + "executor=\"http\",method=\"upstream\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, "offload_calls_seconds_count{class=\"dev.offload.Offloader\",executor=\"legacy\","
				+ "method=\"call\",outcome=\"success\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, offloaded + "executor=\"http\",method=\"slowReport\",outcome=\"timeout\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(scrape, offloaded + "executor=\"tiny\",method=\"export\",outcome=\"rejected\"}"))
			.isGreaterThanOrEqualTo(1);
		assertThat(scrape).contains("executor_pool_core_threads{name=\"offload.jdbc\"} 20");
	}

	/**
	 * A valid change, refused only because writes are not allowed (the endpoint's default
	 * access is read-only, and this context does not change it).
	 */
	@Test
	void writesAreRefusedWithTheDefaultAccess() throws Exception {
		HttpResponse<String> response = new SampleHttp(this.port).post("/actuator/offload/files", "admin", "admin-pw",
				"{\"queueCapacity\": 7}");
		assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
		assertThat((Integer) JsonPath.read(get("/actuator/offload").body(), "$.executors.files.queueCapacity"))
			.isEqualTo(100);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpResponse<String> response = new SampleHttp(this.port).get(path, "alice", "alice-pw");
		assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
		return response;
	}

	private static double count(String scrape, String series) {
		Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		assertThat(matcher.find()).as("series %s in:%n%s", series, scrape).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
