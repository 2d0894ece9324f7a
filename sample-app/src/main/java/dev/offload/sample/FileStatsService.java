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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.springframework.stereotype.Service;

import dev.offload.Offload;

/**
 * Blocking file work, offloaded to the {@code files} executor.
 */
@Service
public class FileStatsService {

	/**
	 * Counts the lines of a file on a worker of the {@code files} executor.
	 * @param path the file
	 * @return the line count and the worker's name
	 * @throws IOException if the file cannot be read
	 */
	@Offload("files")
	public CompletableFuture<FileStats> countLines(Path path) throws IOException {
		try (var lines = Files.lines(path)) {
			return CompletableFuture
				.completedFuture(new FileStats(path.toString(), lines.count(), Thread.currentThread().getName()));
		}
	}

	/**
	 * What {@link FileStatsService#countLines(Path)} found.
	 *
	 * @param path the file
	 * @param lines its line count
	 * @param thread the worker that counted them
	 */
	public record FileStats(String path, long lines, String thread) {
	}

}
