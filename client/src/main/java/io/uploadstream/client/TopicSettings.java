package io.uploadstream.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Topic names; {@code progress} is empty when no progress events are wanted; {@code largeRequests}
 * is where the processors hand requests for large files (their size lanes), never published to by
 * clients.
 */
public record TopicSettings(
    String requests,
    String results,
    String deadLetters,
    Optional<String> progress,
    String largeRequests) {

  public TopicSettings {
    List<ConfigException> problems = new ArrayList<>();
    requireName(problems, ClientSetting.TOPIC_REQUESTS, requests);
    requireName(problems, ClientSetting.TOPIC_LARGE_REQUESTS, largeRequests);
    if (requests != null && requests.equals(largeRequests)) {
      problems.add(
          new ConfigException(
              ClientSetting.TOPIC_LARGE_REQUESTS.key(),
              "must differ from topics.requests ('" + requests + "')"));
    }
    requireName(problems, ClientSetting.TOPIC_RESULTS, results);
    requireName(problems, ClientSetting.TOPIC_DEAD_LETTERS, deadLetters);
    progress.ifPresent(name -> requireName(problems, ClientSetting.TOPIC_PROGRESS, name));
    if (!problems.isEmpty()) {
      throw ConfigException.of(problems);
    }
  }

  /** With the default large-request topic. */
  public TopicSettings(
      String requests, String results, String deadLetters, Optional<String> progress) {
    this(
        requests,
        results,
        deadLetters,
        progress,
        ClientSetting.TOPIC_LARGE_REQUESTS.defaultValue());
  }

  public static TopicSettings defaults() {
    return new TopicSettings(
        ClientSetting.TOPIC_REQUESTS.defaultValue(),
        ClientSetting.TOPIC_RESULTS.defaultValue(),
        ClientSetting.TOPIC_DEAD_LETTERS.defaultValue(),
        Optional.empty());
  }

  private static void requireName(
      List<ConfigException> problems, ClientSetting setting, String name) {
    // Kafka's own rule for topic names: legal characters, at most 249 of them.
    if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
      problems.add(new ConfigException(setting.key(), "not a valid topic name: '" + name + "'"));
    }
  }
}
