package io.uploadstream.processor;

import io.uploadstream.config.Delivery;
import io.uploadstream.config.ProcessorSettings;
import io.uploadstream.config.StopBudget;
import java.time.Duration;

/**
 * What the consumer loop is told by the settings.
 *
 * @param holdResultsUntilCommittable exactly-once: a result waits until every earlier record of its
 *     partition is finished, so its offset commits with it
 * @param maxHeldBytes the budget of {@link HeldBytes}
 */
record LoopSettings(
    StopBudget stop,
    Duration commitInterval,
    boolean holdResultsUntilCommittable,
    long maxHeldBytes,
    BatchLimit batchLimit) {

  static LoopSettings of(ProcessorSettings processor) {
    return new LoopSettings(
        processor.stop(),
        processor.commitInterval(),
        processor.delivery() == Delivery.EXACTLY_ONCE,
        processor.maxHeldBytes(),
        BatchLimit.DEFAULT);
  }
}
