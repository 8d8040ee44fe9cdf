package io.uploadstream.contract;

import java.time.Instant;
import java.util.Objects;

/**
 * How far one upload has come: an event on the progress topic, keyed by {@code requestId}. Sent at
 * most about once a second per request, plus when the upload starts and when its last byte is
 * stored; best-effort, so a reader must cope with missing events.
 */
public record UploadProgress(
    int schemaVersion,
    String requestId,
    long bytesDone,
    long totalBytes,
    int partsDone,
    int partCount,
    Instant time) {

  public UploadProgress {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(time, "time");
    if (bytesDone < 0 || totalBytes < 0 || bytesDone > totalBytes) {
      throw new IllegalArgumentException(
          "bytesDone must be within 0.." + totalBytes + ", was " + bytesDone);
    }
    if (partsDone < 0 || partCount < 1 || partsDone > partCount) {
      throw new IllegalArgumentException(
          "partsDone must be within 0.." + partCount + " (partCount >= 1), was " + partsDone);
    }
  }

  /** Whether every byte is stored (the object itself is complete once the result says so). */
  public boolean allBytesDone() {
    return bytesDone == totalBytes;
  }
}
