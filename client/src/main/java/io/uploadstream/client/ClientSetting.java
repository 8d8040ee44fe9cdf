package io.uploadstream.client;

/**
 * The settings the client side reads (the {@code submit}, {@code results} and {@code dead-letters}
 * commands, and any application using this library): their property names, defaults and meanings.
 * The processor's full list ({@code io.uploadstream.config.Setting}) takes these entries from here,
 * so each default is written once.
 */
public enum ClientSetting {
  KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap.servers", "localhost:9092", "Kafka bootstrap servers."),
  KAFKA_GROUP_ID(
      "kafka.group.id",
      "upload-stream",
      "Consumer group (share group with processor.consumption=share) the processors share."),
  TOPIC_REQUESTS("topics.requests", "upload-requests", "Topic of upload requests."),
  TOPIC_RESULTS("topics.results", "upload-results", "Topic of upload results (key = requestId)."),
  TOPIC_LARGE_REQUESTS(
      "topics.large-requests",
      "upload-requests.large",
      "Topic the processors hand requests for large files to, and serve them from with their own"
          + " upload slots (see processor.large-file-threshold)."),
  TOPIC_DEAD_LETTERS(
      "topics.dead-letters", "upload-requests.dlq", "Topic for records that are not requests."),
  TOPIC_PROGRESS("topics.progress", "", "Topic for progress events; empty: none are sent."),
  CLIENT_CONNECT_TIMEOUT(
      "client.connect-timeout",
      ClientSettings.DEFAULT_CONNECT_TIMEOUT.toSeconds() + "s",
      "How long submit, results and dead-letters wait for Kafka to answer before failing with"
          + " 'cannot reach Kafka'.");

  private final String key;
  private final String defaultValue;
  private final String description;

  ClientSetting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The property name, e.g. {@code topics.results}. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
