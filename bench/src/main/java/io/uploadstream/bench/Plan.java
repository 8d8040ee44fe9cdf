package io.uploadstream.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sizes and repetitions of one benchmark run: {@link #full()} as the issue specifies, {@link
 * #quick()} to check a change in under a minute (smaller sizes and warm-ups, no mixed case unless
 * asked for with {@code --cases}). The scale-out backlog is per instance (a group of 3 gets 3 times
 * the files of a single instance), so every group runs the same number of waves of uploads. {@code
 * probeTransactions} is the size of the small-file case's transaction probe; {@code
 * earlyProcessors} starts the processors of the single-processor cases while the first case warms
 * up, instead of when their case comes.
 */
record Plan(
    String name,
    int iterations,
    long bigFileBytes,
    int smallFiles,
    int smallFileBytes,
    int smallConcurrency,
    int mixedBigFiles,
    long mixedBigFileBytes,
    int mixedSmallFiles,
    long memoryFileBytes,
    int memoryIterations,
    int scaleOutFilesPerInstance,
    int scaleOutPartitions,
    Duration scaleOutLatency,
    int warmupFiles,
    long warmupBigFileBytes,
    int probeTransactions,
    int latencyFiles,
    int holSmallFiles,
    long holBigFileBytes,
    boolean earlyProcessors,
    List<String> defaultCases) {

  static final long MIB = 1024L * 1024;

  static Plan full() {
    return new Plan(
        "full",
        5,
        1024 * MIB,
        2000,
        64 * 1024,
        16,
        20,
        100 * MIB,
        500,
        4096 * MIB,
        5,
        200,
        12,
        Duration.ofMillis(200),
        Integer.MAX_VALUE,
        1024 * MIB,
        50,
        200,
        60,
        2048 * MIB,
        false,
        List.of(
            "big",
            "small",
            "mixed",
            "memory",
            "scale",
            "hol",
            "idle",
            "share",
            "group1",
            "holshare"));
  }

  static Plan quick() {
    return new Plan(
        "quick",
        3,
        256 * MIB,
        300,
        64 * 1024,
        16,
        2,
        100 * MIB,
        50,
        256 * MIB,
        1,
        32,
        12,
        Duration.ofMillis(200),
        60,
        64 * MIB,
        10,
        40,
        40,
        1024 * MIB,
        true,
        List.of("big", "small", "memory", "scale", "hol", "idle"));
  }

  Plan withIterations(int value) {
    return new Plan(
        name,
        value,
        bigFileBytes,
        smallFiles,
        smallFileBytes,
        smallConcurrency,
        mixedBigFiles,
        mixedBigFileBytes,
        mixedSmallFiles,
        memoryFileBytes,
        Math.min(memoryIterations, value),
        scaleOutFilesPerInstance,
        scaleOutPartitions,
        scaleOutLatency,
        warmupFiles,
        warmupBigFileBytes,
        probeTransactions,
        latencyFiles,
        holSmallFiles,
        holBigFileBytes,
        earlyProcessors,
        defaultCases);
  }

  Plan withLatency(Duration value) {
    return new Plan(
        name,
        iterations,
        bigFileBytes,
        smallFiles,
        smallFileBytes,
        smallConcurrency,
        mixedBigFiles,
        mixedBigFileBytes,
        mixedSmallFiles,
        memoryFileBytes,
        memoryIterations,
        scaleOutFilesPerInstance,
        scaleOutPartitions,
        value,
        warmupFiles,
        warmupBigFileBytes,
        probeTransactions,
        latencyFiles,
        holSmallFiles,
        holBigFileBytes,
        earlyProcessors,
        defaultCases);
  }

  /**
   * Whether the big-file case also measures our uploader with signed payloads (our default; an
   * informational row, no target): the quick plan leaves it out to stay under a minute.
   */
  boolean signedContender() {
    return !name.equals("quick");
  }

  /**
   * Warm-up passes of the small-file pipeline, at least: its processor is a JVM of its own that the
   * earlier cases have not warmed, and in the full run its rate still rose round after round with
   * one pass (413 to 677 files/s over 5 rounds, while raw PutObject held steady). The quick plan
   * keeps one, to stay under a minute.
   */
  int pipelineWarmupPasses() {
    return name.equals("quick") ? 1 : 3;
  }

  /** Warm-up passes at most, while the processor's JIT compilers are still busy (full: 10). */
  int maxPipelineWarmupPasses() {
    return name.equals("quick") ? 1 : 10;
  }

  /** The first {@link #warmupFiles} of {@code files}. */
  <T> List<T> warmup(List<T> files) {
    return files.subList(0, Math.min(files.size(), warmupFiles));
  }
}
