package io.uploadstream.processor;

import java.util.Locale;

/**
 * Which loop of a processor served a request. {@link #SMALL} consumes the request topic and hands
 * requests for large files to {@link #LARGE}, which consumes the large-request topic with upload
 * slots of its own: a small file's result never waits behind a big upload. With the lanes off,
 * every request is served in {@link #SMALL}. Metrics tag and log each result with {@link #tag()}.
 */
public enum Lane {
  SMALL,
  LARGE;

  /** {@code small} or {@code large}: the value of the {@code lane} tag and log field. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The consumer group of this lane: the large lane's is the configured one + {@code .large}. */
  String groupId(String configured) {
    return this == SMALL ? configured : configured + ".large";
  }

  /** The id of this lane's clients, from the instance's id (also its static member id). */
  String clientId(String instanceId) {
    String base = "upload-stream-" + instanceId;
    return this == SMALL ? base : base + "-large";
  }
}
