package io.uploadstream.config;

import java.util.Optional;

/**
 * Topic names; {@code progress} is empty when no progress events are wanted; {@code largeRequests}
 * is where requests for large files are handed (see {@link LaneSettings}).
 */
public record TopicSettings(
    String requests,
    String results,
    String deadLetters,
    Optional<String> progress,
    String largeRequests) {

  public TopicSettings {
    ConfigProblems problems = new ConfigProblems();
    requireName(problems, Setting.TOPIC_REQUESTS, requests);
    requireName(problems, Setting.TOPIC_LARGE_REQUESTS, largeRequests);
    problems.require(
        requests == null || !requests.equals(largeRequests),
        Setting.TOPIC_LARGE_REQUESTS,
        "must differ from topics.requests ('" + requests + "')");
    requireName(problems, Setting.TOPIC_RESULTS, results);
    requireName(problems, Setting.TOPIC_DEAD_LETTERS, deadLetters);
    progress.ifPresent(name -> requireName(problems, Setting.TOPIC_PROGRESS, name));
    problems.throwIfAny();
  }

  /** The default large-request topic. */
  public TopicSettings(
      String requests, String results, String deadLetters, Optional<String> progress) {
    this(requests, results, deadLetters, progress, Setting.TOPIC_LARGE_REQUESTS.defaultValue());
  }

  public static TopicSettings defaults() {
    return new TopicSettings(
        Setting.TOPIC_REQUESTS.defaultValue(),
        Setting.TOPIC_RESULTS.defaultValue(),
        Setting.TOPIC_DEAD_LETTERS.defaultValue(),
        Optional.empty());
  }

  private static void requireName(ConfigProblems problems, Setting setting, String name) {
    // Kafka's own rule for topic names: legal characters, at most 249 of them.
    problems.require(
        name != null && name.matches("[a-zA-Z0-9._-]{1,249}"),
        setting,
        "not a valid topic name: '" + name + "'");
  }
}
