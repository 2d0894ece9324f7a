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

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

import dev.offload.test.OffloadQuiescence;
import dev.offload.test.autoconfigure.AutoConfigureOffload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests for {@link AutoConfigureOffload} in a {@code @WebMvcTest}: the service's calls
 * run on an offload worker, as in the application.
 */
@WebMvcTest(GreetingController.class)
@AutoConfigureOffload
@Import(GreetingService.class)
class AutoConfigureOffloadWebMvcTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private GreetingService service;

	@Autowired
	private OffloadQuiescence offload;

	@Test
	void offloadedCallRunsOnAnOffloadWorker() throws Exception {
		this.mvc.perform(get("/thread"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.startsWith("offload-default-")));
	}

	@Test
	void fireAndForgetCallIsAwaited() throws Exception {
		OffloadQuiescence mine = this.offload.sinceNow();
		this.mvc.perform(post("/audit").param("entry", "order-7")).andExpect(status().isOk());
		mine.await();
		assertThat(this.service.getAudited())
			.anySatisfy((entry) -> assertThat(entry).startsWith("order-7 on offload-"));
	}

}
