package io.uploadstream.bench;

import java.time.Duration;

/**
 * Sizes and repetitions of one benchmark run: {@link #full()} as the issue specifies, {@link
 * #quick()} to check a change in under a minute or two.
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
    Duration scaleOutLatency) {

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
        Duration.ofMillis(100));
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
        180,
        12,
        Duration.ofMillis(100));
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
        scaleOutLatency);
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
        value);
  }
}
