package io.uploadstream.config;

import java.util.Objects;

/** What the users' side (submit, results) needs: Kafka and topic names. */
public record ClientSettings(KafkaSettings kafka, TopicSettings topics) {
  public ClientSettings {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
  }
}
