package com.phishnet.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.phishnet.store.support.MeterCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard (docs/grafana/phishnet-store.json) imports as one, and every query in it names only series
 * the service exposes: the names Prometheus scrapes from the meters in {@link MeterCatalog}, which registers them
 * through the code that registers them in the running service. A renamed meter breaks this test, not the
 * operator's dashboard.
 */
class DashboardTest {

    static final Path DASHBOARD = Path.of("docs/grafana/phishnet-store.json");
    static final String DATASOURCE = "${DS_PROMETHEUS}";

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:$])[A-Za-z_:][A-Za-z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)");

    private final JsonNode dashboard = read();
    private final Set<String> exposed = MeterCatalog.sampleNames(MeterCatalog.everyMeter());

    @Test
    void isAGrafanaDashboardThatAsksForItsPrometheusOnImport() {
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.get("uid").asString()).isEqualTo("phishnet-store");
        JsonNode input = dashboard.get("__inputs").get(0);
        assertThat(input.get("name").asString()).isEqualTo("DS_PROMETHEUS");
        assertThat(input.get("pluginId").asString()).isEqualTo("prometheus");
    }

    @Test
    void panelIdsAreUnique() {
        List<Integer> ids = panels().stream().map(panel -> panel.get("id").asInt()).toList();

        assertThat(ids).doesNotHaveDuplicates().isNotEmpty();
    }

    @Test
    void everyPanelQueriesTheImportedPrometheus() {
        for (JsonNode panel : graphs()) {
            assertThat(panel.get("datasource").get("uid").asString()).as(title(panel)).isEqualTo(DATASOURCE);
            assertThat(panel.get("targets")).as(title(panel)).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).as(title(panel)).isEqualTo(DATASOURCE);
                assertThat(target.get("expr").asString()).as(title(panel)).isNotBlank();
            }
        }
    }

    @Test
    void everyQueryNamesOnlySeriesTheServiceExposes() {
        for (JsonNode panel : graphs()) {
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asString();
                Set<String> names = metricNames(expr);
                assertThat(names).as("%s: %s", title(panel), expr).isNotEmpty();
                assertThat(exposed).as("%s: %s", title(panel), expr).containsAll(names);
            }
        }
    }

    @Test
    void templateVariablesAskForExposedSeries() {
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            Matcher metric = LABEL_VALUES.matcher(variable.get("definition").asString());
            assertThat(metric.find()).as(variable.get("name").asString()).isTrue();
            assertThat(exposed).contains(metric.group(1));
        }
    }

    @Test
    void everyServiceMeterIsOnTheDashboardAndInThePerformanceDoc() throws IOException {
        Set<String> shown = new HashSet<>();
        graphs().forEach(panel -> panel.get("targets").forEach(target -> shown.addAll(metricNames(target.get("expr").asString()))));
        String doc = Files.readString(Path.of("docs/performance.md"));
        Set<String> families = new TreeSet<>();
        exposed.stream().filter(name -> name.startsWith("phishnet_")).map(DashboardTest::family).forEach(families::add);

        for (String family : families) {
            assertThat(shown).as("a panel showing %s", family).anyMatch(name -> family(name).equals(family));
            assertThat(doc).as("docs/performance.md naming %s", family).contains(family);
        }
    }

    @Test
    void theNameExtractionSeesMetricsButNotFunctionsLabelsOrVariables() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                + "{application=\"$application\", uri=~\"/api/v1/.*\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("time() - max(phishnet_backup_scheduled_last_success_seconds{instance=~\"$instance\"})"))
                .containsExactly("phishnet_backup_scheduled_last_success_seconds");
        assertThat(metricNames("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) * 60")).containsExactly("a_total", "b_total");
    }

    /** The metric names a PromQL expression reads: what is left once strings, matchers, ranges and groupings go. */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = MATCHERS.matcher(bare).replaceAll("{}");
        bare = RANGE.matcher(bare).replaceAll("");
        bare = GROUPING.matcher(bare).replaceAll("");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group())) {
                names.add(name.group());
            }
        }
        return names;
    }

    /** phishnet_scans_ingested_total -> phishnet_scans_ingested; the same for histogram and timer series. */
    private static String family(String sample) {
        return sample.replaceAll("(_total|_seconds_bucket|_seconds_count|_seconds_sum|_seconds_max|_seconds)$", "");
    }

    private List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            all.add(panel);
            if (panel.has("panels")) {
                panel.get("panels").forEach(all::add);
            }
        }
        return all;
    }

    private List<JsonNode> graphs() {
        return panels().stream().filter(panel -> !"row".equals(panel.get("type").asString())).toList();
    }

    private static String title(JsonNode panel) {
        return panel.get("title").asString();
    }

    private static JsonNode read() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        }
        catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
