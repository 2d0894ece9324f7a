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

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.offload.sample.webflux.legacy.LegacyWarehouseClient;

/**
 * The sample's blocking dependencies and its request-id filter.
 */
@Configuration(proxyBeanMethods = false)
public class SampleConfiguration {

	@Bean
	SlowUpstreamServer slowUpstreamServer(SampleProperties properties) {
		return new SlowUpstreamServer(properties.upstream().port(), properties.upstream().delay());
	}

	/**
	 * A blocking client, on purpose: the code a reactive service inherits (a vendor's
	 * SDK, a shared library) is often written against {@code RestClient} or
	 * {@code RestTemplate}.
	 */
	@Bean
	UpstreamClient upstreamClient(SlowUpstreamServer upstream) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(Duration.ofSeconds(5));
		return new UpstreamClient(
				RestClient.builder().baseUrl(upstream.getBaseUrl()).requestFactory(requestFactory).build());
	}

	@Bean
	LegacyWarehouseClient legacyWarehouseClient(SlowUpstreamServer upstream, SampleProperties properties) {
		return new LegacyWarehouseClient(upstream.getBaseUrl(), properties.warehouse().delay());
	}

	/**
	 * First of all filters, before Spring Security's.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	RequestIdWebFilter requestIdWebFilter() {
		return new RequestIdWebFilter();
	}

}
