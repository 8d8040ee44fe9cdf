package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * monitoring/grafana/upload-stream-dashboard.json shows what an operator needs, from real metrics.
 */
class GrafanaDashboardTest {
  private final JsonNode dashboard =
      RepositoryFiles.json(RepositoryFiles.path("monitoring/grafana/upload-stream-dashboard.json"));

  /** A panel with queries, rows flattened. */
  private record Panel(String title, String type, List<String> expressions, JsonNode node) {
    boolean reads(String metric) {
      return expressions.stream().anyMatch(e -> PromQl.metricNames(e).contains(metric));
    }

    boolean titled(String word) {
      return title.toLowerCase(Locale.ROOT).contains(word);
    }
  }

  private List<Panel> panels() {
    List<Panel> panels = new ArrayList<>();
    collect(dashboard.path("panels"), panels);
    return panels;
  }

  private static void collect(JsonNode nodes, List<Panel> into) {
    for (JsonNode node : nodes) {
      if (node.path("type").asText().equals("row")) {
        collect(node.path("panels"), into);
        continue;
      }
      List<String> expressions = new ArrayList<>();
      node.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
      into.add(
          new Panel(node.path("title").asText(), node.path("type").asText(), expressions, node));
    }
  }

  @Test
  void dashboard_hasAStableIdentity_andAPrometheusDataSourceVariable() {
    assertThat(dashboard.path("uid").asText()).isEqualTo("upload-stream");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    List<String> variables = new ArrayList<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      variables.add(variable.path("name").asText());
      if (variable.path("type").asText().equals("datasource")) {
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
      }
    }
    assertThat(variables).contains("datasource");
  }

  @Test
  void everyPanel_queriesPrometheusThroughTheVariable_andHasAPlace() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode node : dashboard.path("panels")) {
      if (node.path("type").asText().equals("row")) {
        assertThat(ids.add(node.path("id").asInt()))
            .as("unique id of row %s", node.path("title"))
            .isTrue();
      }
    }
    for (Panel panel : panels()) {
      assertThat(panel.expressions())
          .as("queries of %s", panel.title())
          .isNotEmpty()
          .doesNotContain("");
      assertThat(panel.node().path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      JsonNode grid = panel.node().path("gridPos");
      assertThat(grid.path("x").asInt() + grid.path("w").asInt())
          .as(panel.title())
          .isBetween(1, 24);
      assertThat(grid.path("h").asInt()).isPositive();
      assertThat(ids.add(panel.node().path("id").asInt()))
          .as("unique id of %s", panel.title())
          .isTrue();
    }
  }

  @Test
  void everyQuery_readsOnlyMetricsTheProcessorExposes() {
    List<String> expressions = new ArrayList<>();
    panels().forEach(p -> expressions.addAll(p.expressions()));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      if (variable.path("type").asText().equals("query")) {
        String text = query.isTextual() ? query.asText() : query.path("query").asText();
        // Grafana's label_values(SERIES, LABEL) reads SERIES.
        expressions.add(text.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
      }
    }
    for (String expression : expressions) {
      Set<String> metrics = PromQl.metricNames(expression);
      assertThat(metrics)
          .as("metrics of %s", expression)
          .isNotEmpty()
          .allMatch(ProcessorMetrics::exposed);
    }
  }

  @Test
  void dashboard_showsThroughputLatencyErrorsLagAndInFlightWork() {
    List<Panel> panels = panels();
    assertThat(panels)
        .as("requests/s by outcome")
        .anyMatch(
            p ->
                p.reads("uploadstream_requests_total")
                    && p.expressions().stream().anyMatch(e -> e.contains("by (outcome)")));
    assertThat(panels).as("bytes/s").anyMatch(p -> p.reads("uploadstream_upload_bytes_total"));
    assertThat(panels)
        .as("latency percentiles from the histogram")
        .anyMatch(
            p ->
                p.titled("percentile")
                    && p.expressions().stream()
                            .filter(e -> e.contains("histogram_quantile"))
                            .count()
                        >= 3
                    && p.reads("uploadstream_upload_duration_seconds_bucket"));
    assertThat(panels)
        .as("latency quantiles per instance")
        .anyMatch(
            p ->
                p.reads("uploadstream_upload_duration_percentile_seconds")
                    && p.expressions().stream().anyMatch(e -> e.contains("quantile=")));
    assertThat(panels)
        .as("error rate: failed / total")
        .anyMatch(
            p ->
                p.titled("error rate")
                    && p.expressions().stream()
                        .anyMatch(e -> e.contains("outcome=\"failed\"") && e.contains("/")));
    assertThat(panels).as("dead letters").anyMatch(p -> p.reads("uploadstream_dead_letters_total"));
    assertThat(panels)
        .as("consumer lag")
        .anyMatch(p -> p.titled("lag") && p.reads(ProcessorMetrics.CONSUMER_LAG));
    assertThat(panels)
        .as("uploads in flight")
        .anyMatch(p -> p.titled("in flight") && p.reads("uploadstream_uploads_in_flight"));
    assertThat(panels)
        .as("parts in flight")
        .anyMatch(p -> p.titled("in flight") && p.reads("uploadstream_parts_in_flight"));
    assertThat(panels).as("pending bytes").anyMatch(p -> p.reads(ProcessorMetrics.PENDING_BYTES));
    assertThat(panels).as("part retries").anyMatch(p -> p.reads("uploadstream_part_retries_total"));
  }
}
