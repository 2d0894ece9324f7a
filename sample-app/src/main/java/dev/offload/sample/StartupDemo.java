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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import dev.offload.Offloader;

/**
 * Shows both ways to offload at startup: an {@code @Offload} method, and the
 * {@link Offloader} around a call the application does not own ({@code Files.size}).
 */
@Component
class StartupDemo implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(StartupDemo.class);

	private final FileStatsService fileStats;

	private final Offloader offloader;

	StartupDemo(FileStatsService fileStats, Offloader offloader) {
		this.fileStats = fileStats;
		this.offloader = offloader;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		Path file = Files.createTempFile("offload-sample", ".txt");
		try {
			Files.writeString(file, "one\ntwo\nthree\n");
			CompletableFuture<FileStatsService.FileStats> stats = this.fileStats.countLines(file);
			CompletableFuture<String> size = this.offloader.executor("files")
				.call(() -> Files.size(file) + " bytes on " + Thread.currentThread().getName());
			logger.info("Started on " + Thread.currentThread().getName() + "; @Offload: "
					+ stats.get(5, TimeUnit.SECONDS) + "; Offloader: " + size.get(5, TimeUnit.SECONDS));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

}
