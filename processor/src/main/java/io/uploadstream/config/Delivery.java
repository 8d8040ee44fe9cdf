package io.uploadstream.config;

import java.util.Locale;

/** How results are delivered relative to the consumed offsets. */
public enum Delivery {
  /** Result and offset commit in one Kafka transaction: one committed result per request. */
  EXACTLY_ONCE,
  /** Offsets committed after results are acknowledged: a crash may repeat a result. */
  AT_LEAST_ONCE;

  /** The setting's spelling: {@code exactly-once}, {@code at-least-once}. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Delivery parse(String value) {
    for (Delivery delivery : values()) {
      if (delivery.settingValue().equalsIgnoreCase(value.trim())) {
        return delivery;
      }
    }
    throw new IllegalArgumentException("expected exactly-once or at-least-once");
  }
}
