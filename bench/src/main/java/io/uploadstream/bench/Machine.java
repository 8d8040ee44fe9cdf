package io.uploadstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the numbers were measured on, and how busy the machine was. */
final class Machine {
  private Machine() {}

  static Map<String, String> describe() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cpus (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    facts.put("cpu model", cpuModel());
    facts.put("memory", memTotal());
    facts.put(
        "jdk",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return facts;
  }

  /** {@code uptime}-style load averages (1, 5, 15 min) from /proc/loadavg. */
  static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return "load average: " + fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "load average: unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
