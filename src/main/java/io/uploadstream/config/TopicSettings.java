package io.uploadstream.config;

import java.util.Optional;

/** Topic names; {@code progress} is empty when no progress events are wanted. */
public record TopicSettings(
    String requests, String results, String deadLetters, Optional<String> progress) {

  public TopicSettings {
    requireName(Setting.TOPIC_REQUESTS, requests);
    requireName(Setting.TOPIC_RESULTS, results);
    requireName(Setting.TOPIC_DEAD_LETTERS, deadLetters);
    progress.ifPresent(name -> requireName(Setting.TOPIC_PROGRESS, name));
  }

  public static TopicSettings defaults() {
    return new TopicSettings(
        Setting.TOPIC_REQUESTS.defaultValue(),
        Setting.TOPIC_RESULTS.defaultValue(),
        Setting.TOPIC_DEAD_LETTERS.defaultValue(),
        Optional.empty());
  }

  private static void requireName(Setting setting, String name) {
    // Kafka's own rule for topic names: legal characters, at most 249 of them.
    if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new ConfigException(setting.key(), "not a valid topic name: '" + name + "'");
    }
  }
}
