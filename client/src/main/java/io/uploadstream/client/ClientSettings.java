package io.uploadstream.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What the users' side (submit, results, dead-letters, an application using this library) needs:
 * Kafka, topic names, and how long to wait for Kafka to answer at all ({@code
 * client.connect-timeout}) before saying it cannot be reached.
 */
public record ClientSettings(KafkaSettings kafka, TopicSettings topics, Duration connectTimeout) {
  /** The default {@code client.connect-timeout}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public ClientSettings {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new ConfigException(
          ClientSetting.CLIENT_CONNECT_TIMEOUT.key(), "must be positive, was " + connectTimeout);
    }
  }

  /** With the default {@code client.connect-timeout}. */
  public ClientSettings(KafkaSettings kafka, TopicSettings topics) {
    this(kafka, topics, DEFAULT_CONNECT_TIMEOUT);
  }

  /** The default topics on the cluster at {@code bootstrapServers}. */
  public static ClientSettings of(String bootstrapServers) {
    return new ClientSettings(KafkaSettings.of(bootstrapServers), TopicSettings.defaults());
  }
}
