package io.uploadstream.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * CPU milliseconds per file spent by each process of a run (processor, Kafka, S3 server, this JVM),
 * from {@code /proc}: on a 2-core machine that all of them share, the sum bounds the rate.
 */
final class CpuShares {
  private final Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
  private final Map<String, List<Double>> perFile = new LinkedHashMap<>();
  private final Map<String, Double> before = new LinkedHashMap<>();

  /** {@code processors} may be empty (a run without the pipeline). */
  CpuShares(Stack stack, List<ChildJvm> processors) {
    long self = ProcessHandle.current().pid();
    if (!processors.isEmpty()) {
      processes.put(
          processors.size() == 1 ? "processor" : "processors",
          () -> processors.stream().mapToDouble(ChildJvm::cpuSeconds).sum());
      processes.put("Kafka", stack::kafkaCpuSeconds);
    }
    processes.put("S3 server", stack::s3CpuSeconds);
    processes.put("benchmark JVM", () -> ChildJvm.cpuSeconds(self));
    processes.keySet().forEach(name -> perFile.put(name, new ArrayList<>()));
  }

  void start() {
    processes.forEach((name, cpu) -> before.put(name, cpu.getAsDouble()));
  }

  void stop(int files) {
    processes.forEach(
        (name, cpu) ->
            perFile.get(name).add((cpu.getAsDouble() - before.get(name)) * 1000 / files));
  }

  /** CPU ms per file of {@code process} ("processor", "Kafka"...) in each run. */
  List<Double> perFile(String process) {
    return List.copyOf(perFile.getOrDefault(process, List.of()));
  }

  /** Median total CPU ms per file over the runs. */
  double totalMillisPerFile() {
    return perFile.values().stream().mapToDouble(v -> Series.percentile(v, 50)).sum();
  }

  /** Medians over the runs, e.g. "processor 3.1 + Kafka 2.4 + ... = 9.0". */
  String summary() {
    double total = 0;
    List<String> parts = new ArrayList<>();
    for (var entry : perFile.entrySet()) {
      double median = Series.percentile(entry.getValue(), 50);
      total += median;
      parts.add(String.format("%s %.2f", entry.getKey(), median));
    }
    return parts.stream().collect(Collectors.joining(" + ")) + String.format(" = %.2f", total);
  }
}
