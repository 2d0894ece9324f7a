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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The query of {@code GET /api/timeout?dependency=db}, which only this sample has: the
 * shared queries are in {@link dev.offload.sample.support.CatalogRepository}.
 */
@Repository
public class ReportRepository {

	private final JdbcClient jdbc;

	/**
	 * Creates the repository.
	 * @param jdbc the client
	 */
	public ReportRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A report that makes the database work longer than its caller waits: {@code GET
	 * /api/timeout?dependency=db}.
	 * @param delay how long the database works on it
	 * @return 1, if the caller waits long enough
	 */
	public int slowReport(Duration delay) {
		return this.jdbc.sql("SELECT 1 AS done FROM (SELECT pg_sleep(:delay) AS waited) AS slow")
			.param("delay", delay.toMillis() / 1000.0)
			.query(Integer.class)
			.single();
	}

}
