package io.uploadstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topics and processor JVMs of a run. Each case names what it needs ({@link
 * BenchCase#prepare}); the topics are created in one request and every processor starts at once,
 * before the first case is measured: a processor's JVM start costs ~3 s of CPU, which must not land
 * in any measurement, and started together their waits (JVM start, group join) overlap. A processor
 * then waits idle (polling Kafka, a HeadBucket every 5 s) until its case, and its case's processors
 * stop together when the case ends.
 */
final class Fleet implements AutoCloseable {
  /** A consumer group of {@code instances} processors with the same settings and JVM flags. */
  record Group(
      String name,
      int instances,
      int partitions,
      ProcessorJvm.Config config,
      List<String> jvmFlags) {}

  private record Started(
      String owner, Group group, List<ProcessorJvm> processors, long startedNanos) {}

  private final Stack stack;
  private final Path jar;
  private final Path dir;
  private final AppCds cds;
  private final Map<String, Integer> topics = new LinkedHashMap<>();
  private final Map<String, String> owners = new LinkedHashMap<>();
  private final List<Group> planned = new ArrayList<>();
  private final Map<String, Started> running = new LinkedHashMap<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private final Set<String> ready = new HashSet<>();
  private String current;
  private double othersCpuAtMeasuring;
  private long measuringSince;

  Fleet(Stack stack, Path jar, Path dir, AppCds cds) {
    this.stack = stack;
    this.jar = jar;
    this.dir = dir;
    this.cds = cds;
  }

  /** What case {@code owner} asks for in {@link BenchCase#prepare}. */
  Setup setup(String owner) {
    return new Setup(owner);
  }

  /** A case's view of the fleet while it prepares: its topics and its processor groups. */
  final class Setup {
    private final String owner;

    private Setup(String owner) {
      this.owner = owner;
    }

    /** Topics to create before any processor starts. */
    void topics(int partitions, String... names) {
      for (String name : names) {
        topics.put(name, partitions);
      }
    }

    /**
     * A group of this case; its instances are {@code <name>-1}, {@code <name>-2}... Its
     * large-request topic is created with as many partitions as its request topic.
     */
    void group(Group group) {
      topics.put(group.config().largeRequests(), group.partitions());
      owners.put(group.name(), owner);
      planned.add(group);
    }
  }

  /** Creates every topic asked for, in one request. */
  void createTopics() {
    if (!topics.isEmpty()) {
      stack.createTopics(topics);
      topics.clear();
    }
  }

  /** Starts the processors of case {@code owner} without waiting for any. */
  void start(String owner) {
    for (var it = planned.iterator(); it.hasNext(); ) {
      Group group = it.next();
      if (!owners.get(group.name()).equals(owner)) {
        continue;
      }
      it.remove();
      List<ProcessorJvm> processors = new ArrayList<>();
      for (int i = 1; i <= group.instances(); i++) {
        processors.add(
            ProcessorJvm.start(
                jar, dir, group.name() + "-" + i, group.config(), group.jvmFlags(), cds));
      }
      running.put(group.name(), new Started(owner, group, processors, System.nanoTime()));
    }
  }

  /**
   * Waits until every started group is ready and holds all its partitions, and logs what the groups
   * that became ready took to start. A group with an instance that exited is given up (its case
   * fails when it asks for it); the others are still awaited.
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Started> settling = new ArrayList<>();
    for (Started started : running.values()) {
      if (!ready.contains(started.group().name()) && !failed.containsKey(started.group().name())) {
        settling.add(started);
      }
    }
    if (settling.isEmpty()) {
      return;
    }
    Map<String, List<Integer>> pending = new LinkedHashMap<>();
    do {
      pending.clear();
      for (Started started : settling) {
        String name = started.group().name();
        if (failed.containsKey(name)) {
          continue;
        }
        try {
          List<Integer> assigned = ProcessorJvm.assignments(started.processors());
          boolean shared =
              "share".equals(started.group().config().extra().get("processor.consumption"));
          if (!ProcessorJvm.settled(assigned, started.group().partitions(), shared)) {
            pending.put(name, assigned);
          }
        } catch (IllegalStateException e) {
          failed.put(name, e.getMessage());
          Context.log("processor group " + name + " failed to start: " + e.getMessage());
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    pending.forEach(
        (name, assigned) ->
            failed.put(name, "not settled within " + timeout + ", partitions held: " + assigned));
    if (!pending.isEmpty()) {
      Context.log("processor groups not settled within " + timeout + ": " + pending);
    }
    settling.removeIf(started -> failed.containsKey(started.group().name()));
    settling.forEach(started -> ready.add(started.group().name()));
    if (!settling.isEmpty()) {
      long since = settling.stream().mapToLong(Started::startedNanos).min().orElseThrow();
      Context.log(
          String.format(
              "  processors of %s ready: %d JVMs, %.1f s after their start, %.1f CPU s",
              settling.stream().map(Started::owner).distinct().toList(),
              settling.stream().mapToInt(started -> started.processors().size()).sum(),
              (System.nanoTime() - since) / 1e9,
              settling.stream()
                  .flatMap(started -> started.processors().stream())
                  .mapToDouble(processor -> processor.jvm().cpuSeconds())
                  .sum()));
    }
  }

  /** The processors of group {@code name}, ready. */
  List<ProcessorJvm> processors(String name) {
    Started started = running.get(name);
    if (started == null || failed.containsKey(name)) {
      throw new IllegalStateException(
          "processor group " + name + " is not running: " + failed.getOrDefault(name, "stopped"));
    }
    return started.processors();
  }

  /** The one processor of a single-instance group. */
  ProcessorJvm processor(String name) {
    return processors(name).get(0);
  }

  /** Case {@code owner} begins: what {@link #measuringStarts} and {@link #idleShare} refer to. */
  void caseStarts(String owner) {
    current = owner;
    measuringSince = 0;
  }

  /** The current case's first measured round begins (after its warm-up). */
  void measuringStarts() {
    if (current != null && measuringSince == 0) {
      othersCpuAtMeasuring = othersCpuSeconds(current);
      measuringSince = System.nanoTime();
    }
  }

  /**
   * What the processors of other cases, waiting, took while the current case measured: "0.31 CPU s
   * in 9 s (3.4 % of one core)", or "none" if there were none.
   */
  String idleShare() {
    if (current == null || measuringSince == 0) {
      return "not measured";
    }
    double cpu = othersCpuSeconds(current) - othersCpuAtMeasuring;
    double seconds = (System.nanoTime() - measuringSince) / 1e9;
    if (running.values().stream().allMatch(started -> started.owner().equals(current))) {
      return "none";
    }
    return String.format(
        "%.2f CPU s in %.0f s (%.1f %% of one core)", cpu, seconds, 100 * cpu / seconds);
  }

  /** CPU seconds used so far by the processors of cases other than {@code owner}. */
  double othersCpuSeconds(String owner) {
    return running.values().stream()
        .filter(started -> !started.owner().equals(owner))
        .flatMap(started -> started.processors().stream())
        .mapToDouble(processor -> processor.jvm().cpuSeconds())
        .sum();
  }

  /** CPU seconds used so far by every running processor. */
  double cpuSeconds() {
    return running.values().stream()
        .flatMap(started -> started.processors().stream())
        .mapToDouble(processor -> processor.jvm().cpuSeconds())
        .sum();
  }

  /**
   * Kills the processors of case {@code owner}, all at once, in the background: their case is
   * measured, and a graceful shutdown would only hold up the next case (each case has its own group
   * and topics). One that writes its class-data archive gets a graceful stop (first run only).
   */
  void stop(String owner) {
    List<ChildJvm> jvms = new ArrayList<>();
    running
        .values()
        .removeIf(
            started -> {
              if (started.owner().equals(owner)) {
                started.processors().forEach(processor -> jvms.add(processor.jvm()));
                return true;
              }
              return false;
            });
    Context.inBackground("stopping the processors of " + owner, () -> ChildJvm.killAll(jvms));
  }

  @Override
  public void close() {
    List<ChildJvm> jvms = new ArrayList<>();
    running.values().forEach(s -> s.processors().forEach(processor -> jvms.add(processor.jvm())));
    running.clear();
    ChildJvm.killAll(jvms); // the run is over: no case waits on their shutdown
  }
}
