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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample application and offloads through it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = SampleHttp.PROPERTIES)
class SampleApplicationTests {

	@Autowired
	private FileStatsService fileStats;

	@Test
	void countsLinesOnFilesExecutor(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("lines.txt"), "a\nb\n");
		FileStatsService.FileStats stats = this.fileStats.countLines(file).get(5, TimeUnit.SECONDS);
		assertThat(stats.lines()).isEqualTo(2);
		assertThat(stats.thread()).startsWith("offload-files-");
	}

}
