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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The base of the sample's tests: the application on a random port, called over real HTTP
 * with a {@link WebTestClient}, with BlockHound installed before it starts. Every test
 * class shares one application context (same configuration).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttpTests.PROPERTIES)
abstract class SampleHttpTests {

	/**
	 * The slow upstream on a free port; a fan-out deadline that a cold JVM on a busy
	 * machine meets (the first calls load classes and open connections).
	 */
	static final String PROPERTIES = "sample.upstream.port=0\nsample.fan-out.deadline=10s";

	/**
	 * The name of a Netty event-loop thread of the server: {@code reactor-http-epoll-2}
	 * (or {@code -nio-} where Netty has no native transport, {@code webflux-} where
	 * Spring made the loop resources).
	 */
	static final String EVENT_LOOP_THREAD = "[a-z]+-http-(epoll|nio|kqueue|io_uring)-\\d+";

	private static final AtomicInteger requests = new AtomicInteger();

	static {
		BlockHoundSupport.install();
	}

	@LocalServerPort
	private int port;

	protected WebTestClient client;

	protected String requestId;

	@BeforeEach
	void prepare() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		this.requestId = "test-" + requests.incrementAndGet();
		BlockHoundSupport.clear();
	}

	protected WebTestClient.ResponseSpec get(String path) {
		return this.client.get()
			.uri(path)
			.headers((headers) -> headers.setBasicAuth("alice", "alice-pw"))
			.header(RequestIdWebFilter.HEADER, this.requestId)
			.exchange();
	}

}
