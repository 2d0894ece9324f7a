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

import javax.sql.DataSource;

import dev.offload.test.CheckOffloadLeaks;
import dev.offload.test.autoconfigure.AutoConfigureOffload;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service alone, in a plain Spring test context with only Offload's
 * auto-configurations (@AutoConfigureOffload) and the application's offload settings
 * (a plain context reads no application.properties by itself), the same source on every
 * Spring Boot line: its call runs on the reports executor, and the leak check finds
 * nothing left in flight.
 */
@SpringJUnitConfig
@AutoConfigureOffload
@CheckOffloadLeaks
@TestPropertySource("classpath:application.properties")
class ReportServiceTests {

	@Autowired
	private ReportService service;

	@Test
	void reportRunsOnTheReportsExecutor() throws Exception {
		WorkerReport report = this.service.report().get(5, TimeUnit.SECONDS);
		assertThat(report.thread()).matches("offload-reports-\\d+");
		assertThat(report.answer()).isEqualTo(42);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReportService.class)
	static class Config {

		@Bean
		DataSource dataSource() {
			return new DriverManagerDataSource("jdbc:h2:mem:reports");
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

	}

}
