package io.uploadstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The run's outcome as a Markdown table (printed too), CSV and JSON in the output directory. */
record Report(
    String started,
    String command,
    Plan plan,
    Map<String, String> machine,
    List<String> load,
    List<Series> series,
    List<Ratio> ratios) {

  Report {
    machine = Collections.unmodifiableMap(new LinkedHashMap<>(machine));
    load = List.copyOf(load);
    series = List.copyOf(series);
    ratios = List.copyOf(ratios);
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve("table.md"), markdown());
    Files.writeString(dir.resolve("results.csv"), csv());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("results.json").toFile(), json());
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("Run ").append(started).append(" (").append(plan.name()).append(", ");
    md.append(plan.iterations()).append(" alternations), `").append(command).append("`\n\n");
    machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    load.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append("\n| target | ratio | must reach | aim | verdict | how |\n");
    md.append("|---|---:|---:|---:|---|---|\n");
    for (Ratio r : ratios) {
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s |%n",
              r.name(),
              number(r.value(), 2),
              (r.atMost() ? "≤ " : "") + number(r.target(), 2),
              number(r.aim(), 2),
              r.verdict(),
              r.definition()));
    }
    md.append("\n| case | contender | unit | median | min | max | n | notes |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---|\n");
    for (Series s : series) {
      md.append(
          String.format(
              "| %s | %s | %s | %s | %s | %s | %d | %s |%n",
              s.caseName(),
              s.contender(),
              s.unit(),
              number(s.median(), 1),
              number(s.min(), 1),
              number(s.max(), 1),
              s.values().size(),
              s.notes()));
    }
    return md.toString();
  }

  private String csv() {
    StringBuilder csv = new StringBuilder("case,contender,unit,median,min,max,n,values,notes\n");
    for (Series s : series) {
      csv.append(
          String.join(
              ",",
              quoted(s.caseName()),
              quoted(s.contender()),
              quoted(s.unit()),
              number(s.median(), 3),
              number(s.min(), 3),
              number(s.max(), 3),
              Integer.toString(s.values().size()),
              quoted(s.values().stream().map(v -> number(v, 3)).collect(Collectors.joining(" "))),
              quoted(s.notes())));
      csv.append('\n');
    }
    csv.append("\nratio,value,target,aim,verdict,definition\n");
    for (Ratio r : ratios) {
      csv.append(
          String.join(
              ",",
              quoted(r.name()),
              number(r.value(), 3),
              number(r.target(), 3),
              number(r.aim(), 3),
              quoted(r.verdict()),
              quoted(r.definition())));
      csv.append('\n');
    }
    return csv.toString();
  }

  private Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("started", started);
    json.put("command", command);
    json.put("plan", plan.name());
    json.put("iterations", plan.iterations());
    json.put("machine", machine);
    json.put("load", load);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Series s : series) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("case", s.caseName());
      row.put("contender", s.contender());
      row.put("unit", s.unit());
      row.put("median", s.median());
      row.put("min", s.min());
      row.put("max", s.max());
      row.put("values", s.values());
      row.put("notes", s.notes());
      rows.add(row);
    }
    json.put("series", rows);
    List<Map<String, Object>> targets = new ArrayList<>();
    for (Ratio r : ratios) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.name());
      row.put("value", Double.isNaN(r.value()) ? null : r.value());
      row.put("target", Double.isNaN(r.target()) ? null : r.target());
      row.put("aim", Double.isNaN(r.aim()) ? null : r.aim());
      row.put("verdict", r.verdict());
      row.put("definition", r.definition());
      row.put("atMost", r.atMost());
      targets.add(row);
    }
    json.put("ratios", targets);
    return json;
  }

  /** A report written by {@link #write}, read back (to redraw its chart). */
  static Report read(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    Plan plan = root.path("plan").asText().equals("quick") ? Plan.quick() : Plan.full();
    plan = plan.withIterations(root.path("iterations").asInt(plan.iterations()));
    Map<String, String> machine = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> fact : root.path("machine").properties()) {
      machine.put(fact.getKey(), fact.getValue().asText());
    }
    List<String> load = new ArrayList<>();
    root.path("load").forEach(l -> load.add(l.asText()));
    List<Series> series = new ArrayList<>();
    for (JsonNode s : root.path("series")) {
      List<Double> values = new ArrayList<>();
      s.path("values").forEach(v -> values.add(v.asDouble()));
      series.add(
          new Series(
              s.path("case").asText(),
              s.path("contender").asText(),
              s.path("unit").asText(),
              values,
              s.path("notes").asText()));
    }
    List<Ratio> ratios = new ArrayList<>();
    for (JsonNode r : root.path("ratios")) {
      ratios.add(
          new Ratio(
              r.path("name").asText(),
              nanIfNull(r.path("value")),
              nanIfNull(r.path("target")),
              nanIfNull(r.path("aim")),
              r.path("definition").asText(),
              r.path("atMost").asBoolean(false)));
    }
    return new Report(
        root.path("started").asText(),
        root.path("command").asText(),
        plan,
        machine,
        load,
        series,
        ratios);
  }

  private static double nanIfNull(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.NaN;
  }

  static String number(double value, int decimals) {
    return Double.isNaN(value) ? "" : String.format("%." + decimals + "f", value);
  }

  private static String quoted(String text) {
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
