package io.uploadstream.config;

import java.util.Locale;

/** How a processor takes requests from the request topic. */
public enum Consumption {
  /**
   * A consumer group: partitions split between instances, results and offsets in one transaction
   * (exactly-once), at most one useful instance per partition.
   */
  GROUP,
  /**
   * A share group (KIP-932, Kafka queues): every instance takes records of every partition, each
   * acknowledged on its own; results at-least-once; scales past the partition count.
   */
  SHARE;

  /** The setting's spelling: {@code group}, {@code share}. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Consumption parse(String value) {
    for (Consumption consumption : values()) {
      if (consumption.settingValue().equalsIgnoreCase(value.trim())) {
        return consumption;
      }
    }
    throw new IllegalArgumentException("expected group or share");
  }
}
