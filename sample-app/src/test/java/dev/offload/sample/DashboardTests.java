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

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import dev.offload.Offloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Checks the Grafana dashboard {@code docs/grafana/offload.json} and the Prometheus
 * alerting rules {@code docs/prometheus/offload-alerts.yml} against what the sample
 * application really exposes, so that neither drifts from the code: the dashboard is
 * importable (a Prometheus datasource input, a schema version, panels laid out on the
 * grid), every alert has a severity, a summary naming the executor and a runbook on
 * {@code docs/metrics.md}, and every metric their PromQL queries read, with every label
 * they select or group by and every label value they ask for, is on
 * {@code /actuator/prometheus} after calls that succeed, time out, are rejected and are
 * nested, with percentile histograms on (as docs/metrics.md recommends). A failure names
 * the panel or alert, the query and the metric or label missing.
 * <p>
 * It lives in the sample application rather than next to {@code DocumentationTests} in
 * autoconfigure because the sample is a real application wired as users wire theirs:
 * Spring Boot's actuator and Prometheus registry (the scrape is the text Prometheus
 * reads, names and units as Boot's naming convention makes them), platform pools, an
 * adaptive executor (for {@code offload_limit_*}), an executor small enough to reject and
 * a timeout. A virtual executor would add no metric name: its {@code executor_*} gauges
 * are those of a platform pool, fewer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { SampleHttp.PROPERTIES, "management.metrics.distribution.percentiles-histogram.offload=true" })
class DashboardTests {

	/**
	 * Labels Prometheus adds to every series when it scrapes, absent from the scrape
	 * itself.
	 */
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	/**
	 * What is not a metric name in a query once strings, label matchers and ranges are
	 * gone.
	 */
	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "inf", "nan");

	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

	private static final Pattern MATCHERS = Pattern.compile("\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)}");

	private static final Pattern MATCHER = Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	private static final Pattern LABEL_VALUES = Pattern
		.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

	private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s\\S+.*$",
			Pattern.MULTILINE);

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+)$", Pattern.MULTILINE);

	/**
	 * Where each alert's runbook is: a heading of {@code docs/metrics.md}.
	 */
	private static final String RUNBOOKS = "https://github.com/offload-dev/offload/blob/main/docs/metrics.md#";

	private static final Pattern SERIES_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Offloader offloader;

	@Test
	void dashboardIsImportable() throws Exception {
		JsonNode dashboard = dashboard();
		JsonNode input = dashboard.path("__inputs").path(0);
		assertThat(input.path("name").asString()).isEqualTo("DS_PROMETHEUS");
		assertThat(input.path("type").asString()).isEqualTo("datasource");
		assertThat(input.path("pluginId").asString()).isEqualTo("prometheus");
		assertThat(dashboard.path("schemaVersion").isInt()).as("schemaVersion").isTrue();
		assertThat(dashboard.path("title").asString()).isNotEmpty();
		assertThat(dashboard.path("uid").asString()).isNotEmpty();
		List<String> variables = new ArrayList<>();
		dashboard.path("templating")
			.path("list")
			.forEach((variable) -> variables.add(variable.path("name").asString()));
		assertThat(variables).contains("executor");
		List<JsonNode> panels = panels(dashboard);
		assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
		Set<Integer> ids = new TreeSet<>();
		List<int[]> areas = new ArrayList<>();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString();
			assertThat(ids.add(panel.path("id").asInt())).as("id of %s is unique", title).isTrue();
			JsonNode grid = panel.path("gridPos");
			int x = grid.path("x").asInt(-1);
			int y = grid.path("y").asInt(-1);
			int w = grid.path("w").asInt(0);
			int h = grid.path("h").asInt(0);
			assertThat(x).as("gridPos.x of %s", title).isGreaterThanOrEqualTo(0);
			assertThat(y).as("gridPos.y of %s", title).isGreaterThanOrEqualTo(0);
			assertThat(w).as("gridPos.w of %s", title).isPositive();
			assertThat(h).as("gridPos.h of %s", title).isPositive();
			assertThat(x + w).as("right edge of %s", title).isLessThanOrEqualTo(24);
			for (int[] other : areas) {
				boolean overlaps = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3]
						&& other[1] < y + h;
				assertThat(overlaps).as("%s overlaps another panel", title).isFalse();
			}
			areas.add(new int[] { x, y, w, h });
			if (!"row".equals(panel.path("type").asString())) {
				assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title)
					.isEqualTo("${DS_PROMETHEUS}");
				assertThat(panel.path("targets").isEmpty()).as("%s has queries", title).isFalse();
			}
		}
	}

	@Test
	void everyMetricTheDashboardQueriesIsExposed() throws Exception {
		Set<String> used = assertExposed(queries(dashboard()), scrape());
		assertThat(used).contains("offload_calls_seconds_count", "offload_calls_seconds_bucket",
				"offload_wait_seconds_bucket", "offload_wait_seconds_sum", "executor_active_threads",
				"executor_queued_tasks", "executor_queue_remaining_tasks", "offload_nested_total");
	}

	@Test
	void everyMetricTheAlertRulesQueryIsExposed() throws Exception {
		Map<String, Map<String, Object>> alerts = alerts();
		Map<String, String> queries = new LinkedHashMap<>();
		alerts.forEach((name, rule) -> queries.put("alert " + name, String.valueOf(rule.get("expr"))));
		Set<String> used = assertExposed(queries, scrape());
		assertThat(used).contains("offload_calls_seconds_count", "offload_wait_seconds_bucket",
				"executor_active_threads", "executor_pool_max_threads", "executor_queued_tasks", "offload_limit_tasks",
				"offload_limit_min_tasks", "offload_limit_max_tasks");
	}

	@Test
	void everyAlertHasASeverityASummaryNamingTheExecutorAndARunbookOnTheMetricsPage() throws Exception {
		Map<String, Map<String, Object>> alerts = alerts();
		assertThat(alerts).containsOnlyKeys("OffloadExecutorRejecting", "OffloadQueueWaitHigh", "OffloadTimeoutsRising",
				"OffloadExecutorSaturated", "OffloadAdaptiveLimitAtMin");
		Set<String> anchors = anchors(Files.readString(repository().resolve("docs/metrics.md")));
		alerts.forEach((name, rule) -> {
			Map<?, ?> labels = (Map<?, ?>) rule.get("labels");
			Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
			assertThat(labels).as("labels of %s", name).isNotNull();
			assertThat(annotations).as("annotations of %s", name).isNotNull();
			assertThat(labels.get("severity")).as("severity of %s", name).isIn("warning", "critical");
			assertThat(String.valueOf(annotations.get("summary"))).as("summary of %s", name)
				.contains("{{ $labels.executor }}");
			String runbook = String.valueOf(annotations.get("runbook_url"));
			assertThat(runbook).as("runbook_url of %s", name).startsWith(RUNBOOKS);
			assertThat(anchors).as("headings of docs/metrics.md, for the runbook_url of %s", name)
				.contains(runbook.substring(RUNBOOKS.length()));
		});
	}

	@Test
	void queriesAreReadForTheirMetricsAndLabels() {
		Query query = Query.read("histogram_quantile(0.99, sum by (executor, le) (rate(a_bucket{job=~\"$job\", "
				+ "executor=~\"x|y\", outcome=\"rejected\"}[$__rate_interval]))) / on (executor) group_left "
				+ "max without (q) (b{name=~\"offload.$executor\", kind = \"a,b\"})");
		assertThat(query.metrics()).containsExactly("a_bucket", "b");
		assertThat(query.labels()).containsExactlyInAnyOrder("executor", "le", "job", "outcome", "q", "name", "kind");
		assertThat(query.values()).containsOnly(entry("outcome", Set.of("rejected")), entry("kind", Set.of("a,b")));
		query = Query.read("label_values(c_count{instance=~\"$instance\"}, executor)");
		assertThat(query.metrics()).containsExactly("c_count");
		assertThat(query.labels()).containsExactlyInAnyOrder("instance", "executor");
		assertThat(query.values()).isEmpty();
	}

	/**
	 * Checks that every metric each query reads is in the scrape, with every label it
	 * selects or groups by and every label value it asks for, naming the query when one
	 * is not.
	 * @return the metrics the queries read
	 */
	private static Set<String> assertExposed(Map<String, String> queries,
			Map<String, Map<String, Set<String>>> exposed) {
		Set<String> offloadMetrics = new TreeSet<>();
		exposed.keySet()
			.stream()
			.filter((name) -> name.startsWith("offload_") || name.startsWith("executor_"))
			.forEach(offloadMetrics::add);
		assertThat(queries).hasSizeGreaterThanOrEqualTo(5);
		Set<String> used = new TreeSet<>();
		for (Map.Entry<String, String> entry : queries.entrySet()) {
			String where = entry.getKey() + ": " + entry.getValue();
			Query query = Query.read(entry.getValue());
			assertThat(query.metrics()).as("metrics of %s", where).isNotEmpty();
			Map<String, Set<String>> available = new TreeMap<>();
			for (String metric : query.metrics()) {
				assertThat(exposed.containsKey(metric))
					.as("%s reads %s, which /actuator/prometheus does not expose (its offload_ and executor_ "
							+ "metrics: %s)", where, metric, offloadMetrics)
					.isTrue();
				exposed.get(metric)
					.forEach((label, values) -> available.computeIfAbsent(label, (key) -> new TreeSet<>())
						.addAll(values));
			}
			for (String label : query.labels()) {
				assertThat(TARGET_LABELS.contains(label) || available.containsKey(label))
					.as("%s uses the label %s, which its metrics do not have (they have %s)", where, label,
							available.keySet())
					.isTrue();
			}
			query.values()
				.forEach((label, values) -> assertThat(available.getOrDefault(label, Set.of()))
					.as("values of %s in %s", label, where)
					.containsAll(values));
			used.addAll(query.metrics());
		}
		return used;
	}

	/**
	 * The series of {@code /actuator/prometheus} after calls of every outcome.
	 */
	private Map<String, Map<String, Set<String>>> scrape() throws Exception {
		makeCallsOfEveryOutcome();
		HttpResponse<String> response = new SampleHttp(this.port).get("/actuator/prometheus", "alice", "alice-pw");
		assertThat(response.statusCode()).isEqualTo(200);
		return exposedSeries(response.body());
	}

	/**
	 * The alerting rules of {@code docs/prometheus/offload-alerts.yml} by alert name.
	 */
	private static Map<String, Map<String, Object>> alerts() throws Exception {
		Map<String, Object> file = new Yaml()
			.load(Files.readString(repository().resolve("docs/prometheus/offload-alerts.yml")));
		Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
		for (Object group : (List<?>) file.get("groups")) {
			for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
				@SuppressWarnings("unchecked")
				Map<String, Object> alert = (Map<String, Object>) rule;
				alerts.put(String.valueOf(alert.get("alert")), alert);
			}
		}
		return alerts;
	}

	/**
	 * The anchors of a Markdown page's headings, as GitHub makes them.
	 */
	private static Set<String> anchors(String markdown) {
		Set<String> anchors = new TreeSet<>();
		Matcher heading = HEADING.matcher(markdown);
		while (heading.find()) {
			anchors
				.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
		}
		return anchors;
	}

	/**
	 * Calls that leave a series of every kind the dashboard shows: successes on the jdbc,
	 * http and legacy executors, a timeout, a rejection and a nested call.
	 */
	private void makeCallsOfEveryOutcome() throws Exception {
		SampleHttp http = new SampleHttp(this.port);
		assertThat(http.get("/api/fanout", "alice", "alice-pw").statusCode()).isEqualTo(200);
		assertThat(http.get("/api/timeout", "alice", "alice-pw").statusCode()).isEqualTo(504);
		assertThat(http.get("/api/saturated", "alice", "alice-pw").statusCode()).isEqualTo(503);
		Offloader files = this.offloader.executor("files");
		assertThat(files.call(() -> files.call(() -> "inner").get(5, TimeUnit.SECONDS)).get(5, TimeUnit.SECONDS))
			.isEqualTo("inner");
	}

	/**
	 * Every query of the dashboard, panels' and variables', by where it is.
	 */
	private static Map<String, String> queries(JsonNode dashboard) {
		Map<String, String> queries = new LinkedHashMap<>();
		for (JsonNode panel : panels(dashboard)) {
			for (JsonNode target : panel.path("targets")) {
				queries.put("panel '" + panel.path("title").asString() + "' query " + target.path("refId").asString(),
						target.path("expr").asString());
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			queries.put("variable " + variable.path("name").asString(),
					query.isObject() ? query.path("query").asString() : query.asString());
		}
		return queries;
	}

	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	/**
	 * The series of a Prometheus scrape: each metric name with the label names it has.
	 */
	private static Map<String, Map<String, Set<String>>> exposedSeries(String scrape) {
		Map<String, Map<String, Set<String>>> series = new LinkedHashMap<>();
		Matcher line = SERIES.matcher(scrape);
		while (line.find()) {
			Map<String, Set<String>> labels = series.computeIfAbsent(line.group(1), (name) -> new TreeMap<>());
			if (line.group(2) != null) {
				Matcher label = SERIES_LABEL.matcher(line.group(2));
				while (label.find()) {
					labels.computeIfAbsent(label.group(1), (name) -> new TreeSet<>()).add(label.group(2));
				}
			}
		}
		return series;
	}

	private static JsonNode dashboard() throws Exception {
		return JsonMapper.builder()
			.build()
			.readTree(Files.readString(repository().resolve("docs/grafana/offload.json")));
	}

	private static Path repository() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isRegularFile(directory.resolve("docs/grafana/offload.json"))) {
			directory = directory.getParent();
		}
		assertThat(directory).as("docs/grafana/offload.json above %s", Path.of("").toAbsolutePath()).isNotNull();
		return directory;
	}

	/**
	 * What a PromQL query (or a Grafana {@code label_values} query) reads: its metric
	 * names, the labels it selects or groups by, and the values its {@code label="value"}
	 * matchers ask for (those without a Grafana variable).
	 */
	record Query(Set<String> metrics, Set<String> labels, Map<String, Set<String>> values) {

		static Query read(String text) {
			Query query = new Query(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
			query.add(text);
			return query;
		}

		private void add(String text) {
			Matcher labelValues = LABEL_VALUES.matcher(text);
			if (labelValues.matches()) {
				this.labels.add(labelValues.group(2));
				add(labelValues.group(1));
				return;
			}
			Matcher selector = MATCHERS.matcher(text);
			StringBuilder expression = new StringBuilder();
			while (selector.find()) {
				Matcher matcher = MATCHER.matcher(selector.group(1));
				while (matcher.find()) {
					this.labels.add(matcher.group(1));
					if ("=".equals(matcher.group(2)) && !matcher.group(3).contains("$")) {
						this.values.computeIfAbsent(matcher.group(1), (label) -> new TreeSet<>()).add(matcher.group(3));
					}
				}
				selector.appendReplacement(expression, " ");
			}
			selector.appendTail(expression);
			String rest = STRING.matcher(expression).replaceAll(" ").replaceAll("\\[[^]]*]", " ");
			Matcher grouping = GROUPING.matcher(rest);
			while (grouping.find()) {
				for (String label : grouping.group(1).split(",")) {
					if (!label.isBlank()) {
						this.labels.add(label.trim());
					}
				}
			}
			Matcher identifier = IDENTIFIER.matcher(GROUPING.matcher(rest).replaceAll(" "));
			while (identifier.find()) {
				boolean function = identifier.group(2) != null;
				if (!function && !KEYWORDS.contains(identifier.group(1).toLowerCase(Locale.ROOT))) {
					this.metrics.add(identifier.group(1));
				}
			}
		}

	}

}
