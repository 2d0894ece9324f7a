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

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.offload.sample.support.CatalogRepository;
import dev.offload.sample.support.SlowUpstreamServer;
import dev.offload.sample.support.UpstreamClient;
import dev.offload.sample.support.legacy.LegacyWarehouseClient;

/**
 * The sample's blocking dependencies (from {@code offload-sample-support}, outside the
 * component scan of this package, so declared here) and its request-id filter.
 */
@Configuration(proxyBeanMethods = false)
public class SampleConfiguration {

	@Bean
	SlowUpstreamServer slowUpstreamServer(SampleProperties properties) {
		return new SlowUpstreamServer(properties.upstream().port(), properties.upstream().delay(),
				properties.warehouse().capacity());
	}

	@Bean
	UpstreamClient upstreamClient(SlowUpstreamServer upstream) {
		return UpstreamClient.of(upstream);
	}

	@Bean
	CatalogRepository catalogRepository(JdbcClient jdbc, SampleProperties properties) {
		return new CatalogRepository(jdbc, properties.jdbc().delay());
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
