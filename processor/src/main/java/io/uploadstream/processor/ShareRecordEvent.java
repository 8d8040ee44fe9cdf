package io.uploadstream.processor;

import java.util.Locale;

/**
 * What happened to a record of the share group in this processor (share consumption). Kafka's
 * client metrics do not count these, so the processor does ({@code
 * uploadstream_share_records_total{event}}).
 */
public enum ShareRecordEvent {
  /** A member acquired the record (its delivery count went up). */
  ACQUIRED,
  /** Its acquisition lock was renewed while its upload ran (a full lock duration again). */
  RENEWED,
  /** Its result was published and the broker took the ACCEPT: the request is done. */
  ACCEPTED,
  /** Given back for another member: shutdown past the grace, or an upload that stalled. */
  RELEASED,
  /** Dead-lettered (not a request, or its last allowed delivery), then REJECTed. */
  REJECTED,
  /**
   * The lock was gone when the member renewed or acknowledged: the broker hands (or handed) the
   * record to another member, whose result may duplicate this one's.
   */
  LOCK_LOST;

  /** The metric tag's spelling: {@code acquired}, {@code lock_lost}, ... */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
