package io.uploadstream.processor;

import io.uploadstream.config.Delivery;
import io.uploadstream.config.ProcessorSettings;
import io.uploadstream.config.StopBudget;
import java.time.Duration;

/**
 * What the consumer loop of one lane is told by the settings.
 *
 * @param uploadSlots uploads run at once: how busy the loop is, for adaptive commits
 * @param holdResultsUntilCommittable exactly-once: a result waits until every earlier record of its
 *     partition is finished, so its offset commits with it
 * @param maxHeldBytes the budget of {@link HeldBytes}
 */
record LoopSettings(
    Lane lane,
    StopBudget stop,
    Duration commitInterval,
    int uploadSlots,
    boolean holdResultsUntilCommittable,
    long maxHeldBytes,
    BatchLimit batchLimit) {

  /** The share of {@code processor.max-held-bytes} the large-file lane holds at most. */
  static final int LARGE_LANE_SHARE_OF_HELD_BYTES = 8;

  static LoopSettings of(ProcessorSettings processor, Lane lane) {
    return new LoopSettings(
        lane,
        processor.stop(),
        processor.commitInterval(),
        lane.uploadSlots(processor),
        processor.delivery() == Delivery.EXACTLY_ONCE,
        heldBytes(processor, lane),
        BatchLimit.DEFAULT);
  }

  /**
   * The budget is shared, not doubled: the large-file lane, whose requests are few, gets an eighth
   * of it (at least the smallest budget), the small lane the rest. With one lane it is all its own.
   */
  private static long heldBytes(ProcessorSettings processor, Lane lane) {
    long budget = processor.maxHeldBytes();
    if (!processor.lanes().enabled()) {
      return budget;
    }
    long large =
        Math.max(ProcessorSettings.MIN_HELD_BYTES, budget / LARGE_LANE_SHARE_OF_HELD_BYTES);
    return lane == Lane.LARGE ? large : Math.max(ProcessorSettings.MIN_HELD_BYTES, budget - large);
  }
}
