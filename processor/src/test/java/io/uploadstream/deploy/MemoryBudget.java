package io.uploadstream.deploy;

import io.uploadstream.config.Settings;

/**
 * The memory a processor needs, the formula of k8s/base/deployment.yaml: its part buffers, the
 * results and dead letters it may hold ({@code processor.max-held-bytes}) and a fixed overhead
 * (JVM, Kafka clients, AWS SDK) must fit in the heap, which the JVM sizes as MaxRAMPercentage of
 * the container's memory limit.
 */
final class MemoryBudget {
  static final long MIB = 1024L * 1024L;
  static final long OVERHEAD_BYTES = 150 * MIB;

  private MemoryBudget() {}

  static long workingSetBytes(Settings settings) {
    return ProcessorEnvironment.partBufferBytes(settings)
        + settings.processor().maxHeldBytes()
        + OVERHEAD_BYTES;
  }

  static long heapBytes(long memoryLimitBytes, double maxRamPercentage) {
    return (long) (memoryLimitBytes * maxRamPercentage / 100.0);
  }

  static String explain(Settings settings, long memoryLimitBytes, double maxRamPercentage) {
    return ("upload slots of both lanes %d x parts-in-flight %d x part-size %d MiB + max-held-bytes"
                + " %d MiB + %d MiB overhead = %d MiB;")
            .formatted(
                ProcessorEnvironment.uploadSlots(settings),
                settings.uploader().partsInFlight(),
                settings.uploader().partSizeBytes() / MIB,
                settings.processor().maxHeldBytes() / MIB,
                OVERHEAD_BYTES / MIB,
                workingSetBytes(settings) / MIB)
        + " heap = %.0f%% of a %d MiB limit = %d MiB"
            .formatted(
                maxRamPercentage,
                memoryLimitBytes / MIB,
                heapBytes(memoryLimitBytes, maxRamPercentage) / MIB);
  }
}
