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

package dev.offload.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import dev.offload.Offloader;
import dev.offload.autoconfigure.OffloadAutoConfiguration;
import dev.offload.autoconfigure.MetricsAutoConfigurations;
import dev.offload.autoconfigure.OffloadMetricsAutoConfiguration;
import dev.offload.executor.OffloadExecutor;
import dev.offload.executor.OffloadExecutors;
import dev.offload.executor.PlatformOffloadExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code README.md} and {@code docs/} honest: every configuration key is documented
 * with its real default, every meter the starter registers is documented, and every
 * relative link points to a file and heading that exist.
 * <p>
 * The markdown is read from the repository root, found by walking up from the working
 * directory (the module directory under Maven).
 */
class DocumentationTests {

	private static final String NAME_PLACEHOLDER = "<name>";

	private static final Pattern CODE_CELL = Pattern.compile("`([^`]+)`");

	private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	private final Path root = repositoryRoot();

	@Test
	void everyConfigurationKeyIsDocumentedWithItsDefault() throws IOException {
		Map<String, @Nullable String> metadata = metadataDefaults();
		Map<String, @Nullable String> documented = documentedDefaults();
		assertThat(metadata).as("keys in the configuration metadata").isNotEmpty();
		assertThat(documented.keySet()).as("keys documented in docs/configuration.md")
			.containsExactlyInAnyOrderElementsOf(metadata.keySet());
		for (Map.Entry<String, @Nullable String> key : metadata.entrySet()) {
			assertThat(relaxed(documented.get(key.getKey())))
				.as("default of %s in docs/configuration.md (the configuration metadata says %s)", key.getKey(),
						key.getValue())
				.isEqualTo(relaxed(key.getValue()));
		}
	}

	@Test
	void executorConfiguredWithNothingRunsWithTheDocumentedDefaults() throws IOException {
		Map<String, @Nullable String> documented = documentedDefaults();
		String prefix = "offload.executors.default.";
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OffloadAutoConfiguration.class))
			.run((context) -> {
				OffloadExecutor executor = context.getBean(OffloadExecutors.class).getDefaultExecutor();
				assertThat(executor).isInstanceOf(PlatformOffloadExecutor.class);
				PlatformOffloadExecutor pool = (PlatformOffloadExecutor) executor;
				assertThat(pool.getCoreSize()).as("core-size").hasToString(documented.get(prefix + "core-size"));
				assertThat(pool.getMaxSize()).as("max-size").hasToString(documented.get(prefix + "max-size"));
				assertThat(pool.getQueueCapacity()).as("queue-capacity")
					.hasToString(documented.get(prefix + "queue-capacity"));
				assertThat(Duration.ofMillis(pool.getThreadPoolExecutor().getKeepAliveTime(TimeUnit.MILLISECONDS)))
					.as("keep-alive")
					.isEqualTo(duration(documented.get(prefix + "keep-alive")));
				assertThat(pool.getAwaitTermination()).as("await-termination")
					.isEqualTo(duration(documented.get(prefix + "await-termination")));
				assertThat(pool.getTimeoutNanos()).as("timeout (none)").isZero();
				assertThat(documented.get(prefix + "timeout")).as("documented timeout").isNull();
				String thread = context.getBean(Offloader.class)
					.call(() -> Thread.currentThread().getName())
					.get(5, TimeUnit.SECONDS);
				assertThat(thread).as("thread-name-prefix").startsWith(documented.get(prefix + "thread-name-prefix"));
			});
	}

	@Test
	void everyMeterIsDocumentedWithItsTags() throws IOException {
		Map<String, String> documented = documentedMeters();
		assertThat(documented).as("meters documented in docs/metrics.md").isNotEmpty();
		ApplicationContextRunner contextRunner = new ApplicationContextRunner()
			.withConfiguration(MetricsAutoConfigurations.registry())
			.withConfiguration(
					AutoConfigurations.of(OffloadAutoConfiguration.class, OffloadMetricsAutoConfiguration.class))
			.withPropertyValues("offload.executors.jdbc.core-size=2",
					"offload.executors.adaptive.adaptive.enabled=true");
		if (JavaVersion.getJavaVersion().isEqualOrNewerThan(JavaVersion.TWENTY_ONE)) {
			contextRunner = contextRunner.withPropertyValues("offload.executors.loom.virtual=true",
					"offload.executors.loom.max-concurrency=2");
		}
		contextRunner.run((context) -> {
			Offloader offloader = context.getBean(Offloader.class);
			// One call for the call meters, made from a body on the same executor so
			// that the nested counter appears too.
			String result = offloader.call(() -> offloader.call(() -> "inner").get(5, TimeUnit.SECONDS))
				.get(5, TimeUnit.SECONDS);
			assertThat(result).isEqualTo("inner");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Map<String, Set<String>> registered = new LinkedHashMap<>();
			for (Meter meter : registry.getMeters()) {
				String name = meter.getId().getName();
				if (name.startsWith("offload.") || name.startsWith("executor.")) {
					Set<String> tags = registered.computeIfAbsent(name, (key) -> new TreeSet<>());
					meter.getId().getTags().stream().map(Tag::getKey).forEach(tags::add);
				}
			}
			assertThat(documented.keySet()).as("meters documented in docs/metrics.md")
				.containsExactlyInAnyOrderElementsOf(registered.keySet());
			registered.forEach((name, tags) -> {
				for (String tag : tags) {
					assertThat(documented.get(name)).as("tags of %s in docs/metrics.md", name)
						.contains("`" + tag + "`");
				}
			});
		});
	}

	@Test
	void everyRelativeLinkResolves() throws IOException {
		List<String> broken = new ArrayList<>();
		int checked = 0;
		Map<Path, Set<String>> anchors = new HashMap<>();
		for (Path file : markdownFiles()) {
			for (String target : links(file)) {
				if (SCHEME.matcher(target).find()) {
					continue;
				}
				checked++;
				int hash = target.indexOf('#');
				String path = decode((hash >= 0) ? target.substring(0, hash) : target);
				String anchor = (hash >= 0) ? decode(target.substring(hash + 1)) : null;
				Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
				String where = this.root.relativize(file) + ": (" + target + ")";
				if (!Files.exists(resolved)) {
					broken.add(where + " points to a file that does not exist");
				}
				else if (anchor != null) {
					if (!Files.isRegularFile(resolved) || !resolved.toString().endsWith(".md")) {
						broken.add(where + " has an anchor, but does not point to a markdown file");
					}
					else if (!anchors.computeIfAbsent(resolved, DocumentationTests::headingAnchors).contains(anchor)) {
						broken.add(where + " points to a heading that does not exist");
					}
				}
			}
		}
		assertThat(checked).as("relative links checked").isPositive();
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void headingAnchorsFollowGitHubsRules() {
		assertThat(slug("Timeouts, cancellation, rejection, shutdown"))
			.isEqualTo("timeouts-cancellation-rejection-shutdown");
		assertThat(slug("Offloading calls: `@Offload` and the `Offloader`"))
			.isEqualTo("offloading-calls-offload-and-the-offloader");
		assertThat(slug("C. Allocation per call (bytes/op, `gc.alloc.rate.norm`; all threads)"))
			.isEqualTo("c-allocation-per-call-bytesop-gcallocratenorm-all-threads");
		assertThat(slug("D. Fan-out: 10,000 calls × 2")).isEqualTo("d-fan-out-10000-calls--2");
		assertThat(slug("See [the docs](docs/x.md) now")).isEqualTo("see-the-docs-now");
	}

	/**
	 * An enum's default as users write it: the metadata says {@code read_only}, the docs
	 * {@code read-only}, and Spring Boot binds both.
	 */
	private static @Nullable String relaxed(@Nullable String value) {
		return (value != null) ? value.replace('_', '-') : null;
	}

	private static Duration duration(@Nullable String value) {
		assertThat(value).as("documented duration").isNotNull();
		return DurationStyle.detectAndParse(value);
	}

	/**
	 * Every property of the generated configuration metadata but the deprecated ones,
	 * with its default (or {@code null} for none) as text.
	 */
	private static Map<String, @Nullable String> metadataDefaults() throws IOException {
		try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
			Map<String, @Nullable String> defaults = new LinkedHashMap<>();
			for (Map<String, Object> property : properties) {
				if (Boolean.TRUE.equals(property.get("deprecated"))) {
					// Spring Boot 3.5's processor adds
					// management.endpoint.offload.enabled,
					// deprecated for .access: not a key to document.
					continue;
				}
				Object value = property.get("defaultValue");
				defaults.put((String) property.get("name"), (value != null) ? value.toString() : null);
			}
			return defaults;
		}
	}

	/**
	 * The keys of the tables of {@code docs/configuration.md}: a row whose first cell is
	 * a key in backticks. Its second cell starts with the default in backticks, or with a
	 * word when the key has no fixed default. {@code <name>} stands for the
	 * {@code default} executor, whose keys the metadata describes.
	 */
	private Map<String, @Nullable String> documentedDefaults() throws IOException {
		Map<String, @Nullable String> defaults = new LinkedHashMap<>();
		for (List<String> row : tableRows(this.root.resolve("docs/configuration.md"))) {
			String key = codeCell(row.get(0));
			if (key == null || !(key.startsWith("offload.") || key.startsWith("management.")) || row.size() < 3) {
				continue;
			}
			String value = row.get(1).startsWith("`")
					? codeCell(row.get(1).substring(0, row.get(1).indexOf('`', 1) + 1)) : null;
			String name = key.replace(NAME_PLACEHOLDER, "default");
			assertThat(defaults).as("keys documented twice in docs/configuration.md").doesNotContainKey(name);
			defaults.put(name, (value != null) ? value.replace(NAME_PLACEHOLDER, "default") : null);
		}
		return defaults;
	}

	/**
	 * The meters of the tables of {@code docs/metrics.md}, each with its tags cell.
	 */
	private Map<String, String> documentedMeters() throws IOException {
		Map<String, String> meters = new LinkedHashMap<>();
		for (List<String> row : tableRows(this.root.resolve("docs/metrics.md"))) {
			String name = codeCell(row.get(0));
			if (name != null && (name.startsWith("offload.") || name.startsWith("executor.")) && row.size() >= 3) {
				assertThat(meters).as("meters documented twice in docs/metrics.md").doesNotContainKey(name);
				meters.put(name, row.get(2));
			}
		}
		return meters;
	}

	private static @Nullable String codeCell(String cell) {
		Matcher matcher = CODE_CELL.matcher(cell);
		return (matcher.matches()) ? matcher.group(1) : null;
	}

	/**
	 * The cells of every table row outside fenced code blocks, trimmed.
	 */
	private static List<List<String>> tableRows(Path file) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		for (String line : proseLines(file)) {
			String trimmed = line.trim();
			if (trimmed.startsWith("|") && trimmed.endsWith("|") && trimmed.length() > 1) {
				List<String> cells = new ArrayList<>();
				for (String cell : trimmed.substring(1, trimmed.length() - 1).split("\\|", -1)) {
					cells.add(cell.trim());
				}
				rows.add(cells);
			}
		}
		return rows;
	}

	/**
	 * The lines of a markdown file outside fenced code blocks.
	 */
	private static List<String> proseLines(Path file) throws IOException {
		List<String> lines = new ArrayList<>();
		String fence = null;
		for (String line : Files.readAllLines(file)) {
			String trimmed = line.stripLeading();
			if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
				fence = trimmed.substring(0, 3);
			}
			else if (fence != null && trimmed.startsWith(fence)) {
				fence = null;
			}
			else if (fence == null) {
				lines.add(line);
			}
		}
		return lines;
	}

	/**
	 * The targets of the links of a markdown file, outside code (a link's text may wrap
	 * onto the next line).
	 */
	private static List<String> links(Path file) throws IOException {
		List<String> links = new ArrayList<>();
		String prose = String.join("\n", proseLines(file)).replaceAll("`[^`]*`", "code");
		Matcher matcher = LINK.matcher(prose);
		while (matcher.find()) {
			links.add(matcher.group(1));
		}
		return links;
	}

	private static Set<String> headingAnchors(Path file) {
		try {
			Set<String> anchors = new LinkedHashSet<>();
			Map<String, Integer> seen = new HashMap<>();
			for (String line : proseLines(file)) {
				Matcher matcher = HEADING.matcher(line);
				if (matcher.matches()) {
					String slug = slug(matcher.group(2));
					int count = seen.merge(slug, 1, Integer::sum);
					anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
				}
			}
			return anchors;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The anchor GitHub gives a heading: its text without markup, lower case, without
	 * punctuation except {@code -} and {@code _}, spaces replaced by {@code -}.
	 */
	static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase();
		StringBuilder slug = new StringBuilder();
		text.codePoints().forEach((c) -> {
			if (c == ' ') {
				slug.append('-');
			}
			else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
				slug.appendCodePoint(c);
			}
		});
		return slug.toString();
	}

	private static String decode(String text) {
		return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	private List<Path> markdownFiles() throws IOException {
		List<Path> files = new ArrayList<>();
		files.add(this.root.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(this.root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(files::add);
		}
		return files;
	}

	private static Path repositoryRoot() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("README.md")) && Files.isDirectory(directory.resolve("docs"))) {
				return directory;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No README.md and docs/ above " + Path.of("").toAbsolutePath());
	}

}
