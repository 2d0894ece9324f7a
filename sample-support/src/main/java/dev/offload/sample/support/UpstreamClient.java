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

package dev.offload.sample.support;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A blocking HTTP client of the slow upstream, on Spring's {@link RestClient}: the
 * calling thread waits on the socket until the answer is in. Blocking on purpose, in the
 * WebFlux sample too: the code a reactive service inherits (a vendor's SDK, a shared
 * library) is often written against {@code RestClient} or {@code RestTemplate}.
 */
public class UpstreamClient {

	private final RestClient restClient;

	/**
	 * Creates a client.
	 * @param restClient a client whose base URL is the upstream's
	 */
	public UpstreamClient(RestClient restClient) {
		this.restClient = restClient;
	}

	/**
	 * Creates a client of a server over HTTP/1.1 on the JDK's {@link HttpClient}, with a
	 * 2-second connect and a 5-second read timeout.
	 * @param upstream the server
	 * @return the client
	 */
	public static UpstreamClient of(SlowUpstreamServer upstream) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(Duration.ofSeconds(5));
		return new UpstreamClient(
				RestClient.builder().baseUrl(upstream.getBaseUrl()).requestFactory(requestFactory).build());
	}

	/**
	 * Asks the upstream for a resource that takes {@code delay} to produce, and fails:
	 * the upstream answers 502 Bad Gateway after {@code delay}.
	 * @param delay how long the upstream is to take before failing
	 * @return never
	 * @throws org.springframework.web.client.HttpServerErrorException always
	 */
	public String fetchFailing(Duration delay) {
		return this.restClient.get()
			.uri(SlowUpstreamServer.PATH + "?delayMs={delay}&status=502", delay.toMillis())
			.retrieve()
			.body(String.class);
	}

	/**
	 * Asks the upstream for a resource that takes {@code delay} to produce, and waits for
	 * it.
	 * @param delay how long the upstream is to take
	 * @return the body of the answer
	 */
	public String fetch(Duration delay) {
		return this.restClient.get()
			.uri(SlowUpstreamServer.PATH + "?delayMs={delay}", delay.toMillis())
			.retrieve()
			.body(String.class);
	}

}
