package io.uploadstream.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sizes and repetitions of one benchmark run: {@link #full()} as the issue specifies, {@link
 * #quick()} to check a change in about a minute (smaller sizes and warm-ups, no mixed case unless
 * asked for with {@code --cases}).
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
    int scaleOutFiles,
    int scaleOutPartitions,
    Duration scaleOutLatency,
    int warmupFiles,
    long warmupBigFileBytes,
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
        600,
        12,
        Duration.ofMillis(200),
        Integer.MAX_VALUE,
        1024 * MIB,
        List.of("big", "small", "mixed", "memory", "scale"));
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
        120,
        12,
        Duration.ofMillis(200),
        60,
        64 * MIB,
        List.of("big", "small", "memory", "scale"));
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
        scaleOutFiles,
        scaleOutPartitions,
        scaleOutLatency,
        warmupFiles,
        warmupBigFileBytes,
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
        scaleOutFiles,
        scaleOutPartitions,
        value,
        warmupFiles,
        warmupBigFileBytes,
        defaultCases);
  }

  /** The first {@link #warmupFiles} of {@code files}. */
  <T> List<T> warmup(List<T> files) {
    return files.subList(0, Math.min(files.size(), warmupFiles));
  }
}
