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

import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;

import dev.offload.jdbc.StatementCancellingDataSource;
import dev.offload.test.autoconfigure.AutoConfigureOffload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoConfigureOffload} in a {@code @JdbcTest}: the repository's query
 * runs on an offload worker, through the {@code DataSource} that cancels the statements
 * of a timed-out call.
 */
@JdbcTest
@AutoConfigureOffload
@Import(CatalogRepository.class)
class AutoConfigureOffloadJdbcTests {

	@Autowired
	private CatalogRepository repository;

	@Autowired
	private DataSource dataSource;

	@Test
	void queryRunsOnAnOffloadWorker() throws Exception {
		assertThat(this.repository.countOnWorker().get(5, TimeUnit.SECONDS)).matches("offload-default-\\d+:true");
	}

	@Test
	void dataSourceCancelsTheStatementsOfCutOffCalls() {
		assertThat(this.dataSource).isInstanceOf(StatementCancellingDataSource.class);
	}

}
