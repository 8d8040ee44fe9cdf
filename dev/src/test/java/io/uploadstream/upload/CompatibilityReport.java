package io.uploadstream.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The findings of one run of the probes, written as Markdown tables: store × feature (the README's
 * compatibility table) and every probe with the answer that proves its cell.
 */
final class CompatibilityReport {
  private final Map<String, Map<StoreProbe, Finding>> findings = new ConcurrentHashMap<>();
  private final List<String> stores;

  CompatibilityReport(List<String> stores) {
    this.stores = List.copyOf(stores);
  }

  void record(String store, StoreProbe probe, Finding finding) {
    findings.computeIfAbsent(store, s -> new ConcurrentHashMap<>()).put(probe, finding);
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
  }

  String markdown() {
    StringBuilder out = new StringBuilder("| store |");
    Set<String> features = new LinkedHashSet<>();
    StoreProbe.ALL.forEach(p -> features.add(p.feature()));
    features.forEach(f -> out.append(' ').append(f).append(" |"));
    out.append("\n|---|").append("---|".repeat(features.size())).append('\n');
    for (String store : stores) {
      out.append("| ").append(store).append(" |");
      features.forEach(f -> out.append(' ').append(summary(store, f)).append(" |"));
      out.append('\n');
    }
    out.append("\n| feature | probe |");
    stores.forEach(s -> out.append(' ').append(s).append(" |"));
    out.append("\n|---|---|").append("---|".repeat(stores.size())).append('\n');
    for (StoreProbe probe : StoreProbe.ALL) {
      out.append("| ").append(probe.feature()).append(" | ").append(probe.name()).append(" |");
      for (String store : stores) {
        Finding finding = findings.getOrDefault(store, Map.of()).get(probe);
        out.append(' ')
            .append(finding == null ? "not run" : finding.verdict() + ": " + finding.evidence())
            .append(" |");
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * "yes (n/n)" when every probe of the feature is SUPPORTED, else "k/n" and those that are not.
   */
  private String summary(String store, String feature) {
    Map<StoreProbe, Finding> ofStore = findings.getOrDefault(store, Map.of());
    List<String> not = new ArrayList<>();
    int probes = 0;
    for (StoreProbe probe : StoreProbe.ALL) {
      if (!probe.feature().equals(feature)) {
        continue;
      }
      probes++;
      Finding finding = ofStore.get(probe);
      String verdict = finding == null ? "not run" : finding.verdict().name();
      if (!verdict.equals("SUPPORTED")) {
        not.add(probe.name() + " (" + verdict + ")");
      }
    }
    String supported = (probes - not.size()) + "/" + probes;
    return not.isEmpty()
        ? "yes (" + supported + ")"
        : supported + "; not: " + String.join(", ", not);
  }
}
