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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Requests to the sample application over real HTTP, with timeouts.
 */
final class SampleHttp {

	/**
	 * The properties of every test of the application: the slow upstream on a free port.
	 */
	static final String PROPERTIES = "sample.upstream.port=0";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	SampleHttp(int port) {
		this.port = port;
	}

	HttpResponse<String> get(String path) throws Exception {
		return send(request(path).build());
	}

	HttpResponse<String> get(String path, String user, String password) throws Exception {
		return send(request(path).header("Authorization", basic(user, password)).build());
	}

	HttpResponse<String> get(String path, String user, String password, String requestId) throws Exception {
		return send(
				request(path).header("Authorization", basic(user, password)).header("X-Request-Id", requestId).build());
	}

	HttpResponse<String> post(String path, String user, String password, String json) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", basic(user, password))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	HttpResponse<String> put(String path, String user, String password) throws Exception {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", basic(user, password))
			.PUT(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET();
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
