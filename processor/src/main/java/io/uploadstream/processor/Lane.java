package io.uploadstream.processor;

import io.uploadstream.config.ProcessorSettings;
import java.util.List;
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

  /**
   * The lanes a processor runs: both with size lanes on (group consumption), else only {@link
   * #SMALL}.
   */
  public static List<Lane> enabled(ProcessorSettings processor) {
    return processor.largeFileLane() ? List.of(SMALL, LARGE) : List.of(SMALL);
  }

  /** How many uploads this lane runs at once (its worker threads). */
  public int uploadSlots(ProcessorSettings processor) {
    return this == SMALL ? processor.uploadsInFlight() : processor.lanes().largeUploadsInFlight();
  }

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
