package io.uploadstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every case gets: the plan, the running servers, the run's processors, the jar processors run
 * from, the output directory, the data, extra processor settings ({@code --set}), whether to
 * profile, and which optional experiments to add ({@code --experiment}).
 */
record Context(
    Plan plan,
    Stack stack,
    Fleet fleet,
    Path jar,
    Path out,
    TestData data,
    Map<String, String> processorSettings,
    List<String> processorJvmFlags,
    boolean profile,
    List<String> experiments) {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.S");

  /**
   * Called by every case after its warm-up, before its first measured round: waits until every
   * processor that is starting (those of later cases may start during a warm-up) is ready, so no
   * JVM starts while a case is measured.
   */
  void beforeMeasuring() throws InterruptedException {
    fleet.awaitReady(Duration.ofMinutes(3));
    fleet.measuringStarts();
  }

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

  private static final List<Thread> BACKGROUND = new ArrayList<>();

  /** Runs {@code task} on a thread of its own; {@link #awaitBackground} waits for it. */
  static synchronized void inBackground(String what, Runnable task) {
    Thread thread = new Thread(task, "bench-background: " + what);
    thread.setDaemon(true);
    thread.start();
    BACKGROUND.add(thread);
  }

  /** Waits for every {@link #inBackground} task. */
  static void awaitBackground() throws InterruptedException {
    List<Thread> threads;
    synchronized (Context.class) {
      threads = new ArrayList<>(BACKGROUND);
      BACKGROUND.clear();
    }
    for (Thread thread : threads) {
      thread.join(60_000);
    }
  }

  static void log(String message) {
    System.out.println(LocalTime.now(ZoneOffset.UTC).format(TIME) + "  " + message);
    System.out.flush();
  }
}
