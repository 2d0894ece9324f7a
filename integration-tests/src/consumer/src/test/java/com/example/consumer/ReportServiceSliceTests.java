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

package com.example.consumer;

import java.util.concurrent.TimeUnit;

import dev.offload.test.autoconfigure.AutoConfigureOffload;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service in Spring Boot's JDBC test slice (@JdbcTest, through @JdbcSliceTest, whose
 * file differs per line), with Offload brought in by @AutoConfigureOffload: the query runs
 * on the reports executor on every line.
 */
@JdbcSliceTest
@AutoConfigureOffload
@Import(ReportService.class)
class ReportServiceSliceTests {

	@Autowired
	private ReportService service;

	@Test
	void queryRunsOnTheReportsExecutor() throws Exception {
		WorkerReport report = this.service.report().get(5, TimeUnit.SECONDS);
		assertThat(report.thread()).matches("offload-reports-\\d+");
		assertThat(report.answer()).isEqualTo(42);
	}

}
