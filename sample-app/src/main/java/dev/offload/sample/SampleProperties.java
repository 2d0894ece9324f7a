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

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's own settings, under {@code sample}: how slow each blocking dependency is.
 *
 * @param upstream the slow upstream HTTP server
 * @param jdbc the slow SQL queries
 * @param warehouse the legacy warehouse client
 * @param slowReport the call that {@code GET /api/timeout} lets time out
 * @param export the call that {@code GET /api/saturated} fires at the {@code tiny}
 * executor
 * @param fanOut the structured fan-out of {@code GET /api/fanout}
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Upstream upstream, @DefaultValue Jdbc jdbc,
		@DefaultValue Warehouse warehouse, @DefaultValue SlowReport slowReport, @DefaultValue Export export,
		@DefaultValue FanOut fanOut) {

	/**
	 * The slow upstream, served by the application itself on a port of its own.
	 *
	 * @param port its port on the loopback interface; 0 picks a free one
	 * @param delay how long it takes to answer when the request names no {@code delayMs}
	 */
	public record Upstream(@DefaultValue("8081") int port, @DefaultValue("150ms") Duration delay) {
	}

	/**
	 * The SQL queries of the fan-out.
	 *
	 * @param delay how long the database spends on each query ({@code pg_sleep})
	 */
	public record Jdbc(@DefaultValue("100ms") Duration delay) {
	}

	/**
	 * The legacy warehouse client of the fan-out.
	 *
	 * @param delay how long its server takes to answer
	 * @param capacity how many of its requests its server serves at once, the others
	 * waiting for a slot (0: no limit)
	 */
	public record Warehouse(@DefaultValue("120ms") Duration delay, @DefaultValue("8") int capacity) {
	}

	/**
	 * The call of {@code GET /api/timeout}: an upstream call slower than its timeout.
	 *
	 * @param delay how long the upstream takes to answer it
	 */
	public record SlowReport(@DefaultValue("2s") Duration delay) {
	}

	/**
	 * The calls of {@code GET /api/saturated} on the {@code tiny} executor.
	 *
	 * @param delay how long each export keeps the single worker busy
	 * @param calls how many exports the endpoint fires at once (more than the pool can
	 * take)
	 */
	public record Export(@DefaultValue("300ms") Duration delay, @DefaultValue("2") int calls) {
	}

	/**
	 * {@code GET /api/fanout}.
	 *
	 * @param deadline the deadline of the fan-out unless the request gives one
	 * @param failureAfter with {@code ?fail=upstream}, how long the upstream takes to
	 * fail
	 */
	public record FanOut(@DefaultValue("2s") Duration deadline, @DefaultValue("50ms") Duration failureAfter) {
	}

}
