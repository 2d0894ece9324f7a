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
package dev.offload.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.offload.Offload;

/**
 * A real Spring Boot application with the starter: the {@code default} executor sized
 * like every other variant's pool, an {@code @Offload} bean, and (unless switched off) a
 * {@link SimpleMeterRegistry} that Spring Boot binds the offload meters to. No component
 * scan: only what is declared here and auto-configured.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class OffloadApp {

	/** Threads of every pool in the round-trip benchmarks. */
	public static final int POOL_SIZE = 4;

	/**
	 * Queue of every pool in the round-trip benchmarks: large, so nothing is ever
	 * rejected.
	 */
	public static final int QUEUE_CAPACITY = 100_000;

	@Bean
	OffloadedService offloadedService() {
		return new OffloadedService();
	}

	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(name = "bench.metrics",
			matchIfMissing = true)
	SimpleMeterRegistry simpleMeterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * Starts the application.
	 * @param properties extra properties, {@code key=value}
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("logging.level.root=WARN",
				"offload.executors.default.core-size=" + POOL_SIZE, "offload.executors.default.max-size=" + POOL_SIZE,
				"offload.executors.default.queue-capacity=" + QUEUE_CAPACITY));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(OffloadApp.class).web(WebApplicationType.NONE)
			.bannerMode(org.springframework.boot.Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all.toArray(String[]::new))
			.run();
	}

	/**
	 * Returns how many {@code @Offload} and {@code Offloader} calls the meters counted.
	 * @param context the application
	 * @return the count of {@code offload.calls}, or -1 when there is no registry
	 */
	public static long countedCalls(ConfigurableApplicationContext context) {
		MeterRegistry registry = context.getBeanProvider(MeterRegistry.class).getIfAvailable();
		if (registry == null) {
			return -1;
		}
		return registry.find("offload.calls").timers().stream().mapToLong(Timer::count).sum();
	}

	/**
	 * The offloaded bean.
	 */
	public static class OffloadedService {

		@Offload
		public CompletableFuture<Seen> look() {
			return CompletableFuture.completedFuture(Seen.look());
		}

		@Offload
		public Mono<Seen> lookMono() {
			return Mono.just(Seen.look());
		}

	}

}
