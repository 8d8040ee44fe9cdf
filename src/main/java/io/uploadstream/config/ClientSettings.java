package io.uploadstream.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the users' side (submit, results, dead-letters) needs: Kafka, topic names, and how long to
 * wait for Kafka to answer at all ({@code client.connect-timeout}) before saying it cannot be
 * reached.
 */
public record ClientSettings(KafkaSettings kafka, TopicSettings topics, Duration connectTimeout) {
  public ClientSettings {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new ConfigException(
          Setting.CLIENT_CONNECT_TIMEOUT.key(), "must be positive, was " + connectTimeout);
    }
  }

  /** With the default {@code client.connect-timeout}. */
  public ClientSettings(KafkaSettings kafka, TopicSettings topics) {
    this(kafka, topics, SettingValues.parseDuration(Setting.CLIENT_CONNECT_TIMEOUT.defaultValue()));
  }
}
