package io.uploadstream.bench;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every case gets: the plan, the running servers, the jar processors run from, the output
 * directory, the data, extra processor settings ({@code --set}), whether to profile, and which
 * optional experiments to add ({@code --experiment}).
 */
record Context(
    Plan plan,
    Stack stack,
    Path jar,
    Path out,
    TestData data,
    Map<String, String> processorSettings,
    List<String> processorJvmFlags,
    boolean profile,
    List<String> experiments) {

  /** JVM flags of a processor: the fixed ones, then {@code extra}, then the user's. */
  List<String> processorFlags(List<String> extra) {
    List<String> flags = new ArrayList<>(List.of("-XX:+UseG1GC"));
    flags.addAll(extra);
    flags.addAll(processorJvmFlags);
    if (profile) {
      flags.add("-XX:StartFlightRecording=name=bench,settings=profile");
    }
    return flags;
  }

  ProcessorJvm.Config processorConfig(
      String group, String requests, String results, Map<String, String> caseSettings) {
    return processorConfig(stack.s3Endpoint(), group, requests, results, caseSettings);
  }

  ProcessorJvm.Config processorConfig(
      java.net.URI s3Endpoint,
      String group,
      String requests,
      String results,
      Map<String, String> caseSettings) {
    Map<String, String> extra = new java.util.LinkedHashMap<>(caseSettings);
    extra.putAll(processorSettings);
    return new ProcessorJvm.Config(
        stack.bootstrapServers(), s3Endpoint, group, requests, results, data.dir(), extra);
  }

  static void log(String message) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + message);
    System.out.flush();
  }
}
