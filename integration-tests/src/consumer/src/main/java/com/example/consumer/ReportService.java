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

import java.util.concurrent.CompletableFuture;

import dev.offload.Offload;
import org.slf4j.MDC;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

@Service
public class ReportService {

	private final JdbcTemplate jdbc;

	public ReportService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Offload("reports")
	public CompletableFuture<WorkerReport> report() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		Integer answer = this.jdbc.queryForObject("SELECT 42", Integer.class);
		return CompletableFuture.completedFuture(new WorkerReport(Thread.currentThread().getName(),
				MDC.get(RequestIdFilter.MDC_KEY), (authentication != null) ? authentication.getName() : null, answer));
	}

}
