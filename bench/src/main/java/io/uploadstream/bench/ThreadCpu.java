package io.uploadstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process by thread, from {@code /proc/<pid>/task/<tid>/stat}, grouped by thread name
 * with digits folded ({@code upload-worker-3} counts as {@code upload-worker-#}): it shows what
 * sampling profilers miss, the JVM's own threads (JIT compilers, GC) and time spent in native code.
 * {@link #start} and {@link #stop} bracket what is measured.
 */
final class ThreadCpu {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final long pid;
  private Map<Long, Sample> before = Map.of();
  private final Map<String, Double> seconds = new HashMap<>();

  private record Sample(String group, double seconds) {}

  ThreadCpu(long pid) {
    this.pid = pid;
  }

  void start() {
    before = read();
  }

  /** Adds the CPU each thread group used since {@link #start}. */
  void stop() {
    read()
        .forEach(
            (tid, now) -> {
              Sample then = before.get(tid);
              double used = now.seconds() - (then == null ? 0 : then.seconds());
              seconds.merge(now.group(), used, Double::sum);
            });
  }

  /** The share of all CPU measured that thread group {@code group} took (0 when none was). */
  double share(String group) {
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    return total <= 0 ? 0 : seconds.getOrDefault(group, 0.0) / total;
  }

  /** Milliseconds per {@code files} of each thread group, largest first, one per line. */
  String perFile(int files) {
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder text = new StringBuilder();
    text.append(String.format("all threads: %.3f ms per file%n", total * 1000 / files));
    seconds.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .filter(e -> e.getValue() > 0)
        .forEach(
            e ->
                text.append(
                    String.format(
                        "%8.3f ms  %5.1f %%  %s%n",
                        e.getValue() * 1000 / files, 100 * e.getValue() / total, e.getKey())));
    return text.toString();
  }

  private Map<Long, Sample> read() {
    Map<Long, Sample> samples = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(
          task -> {
            try {
              String stat = Files.readString(task.resolve("stat"));
              // comm is in parentheses and may hold spaces: the fields follow the last ')'.
              String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
              String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
              double ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
              samples.put(
                  Long.parseLong(task.getFileName().toString()),
                  new Sample(name.replaceAll("\\d+", "#"), ticks / TICKS_PER_SECOND));
            } catch (IOException | RuntimeException e) {
              // the thread ended meanwhile
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }
}
