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

package dev.offload.test.slice;

import java.util.concurrent.CompletableFuture;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.offload.Offload;

/**
 * A repository whose query is offloaded, for the {@code @JdbcTest}.
 */
@Repository
public class CatalogRepository {

	private final JdbcTemplate jdbc;

	public CatalogRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Offload
	public CompletableFuture<String> countOnWorker() {
		Integer count = this.jdbc.queryForObject("select count(*) from information_schema.tables", Integer.class);
		return CompletableFuture.completedFuture(Thread.currentThread().getName() + ":" + (count != null && count > 0));
	}

}
