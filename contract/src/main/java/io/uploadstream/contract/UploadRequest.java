package io.uploadstream.contract;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * "Upload this local file under this prefix": the event on the request topic. Optional fields are
 * {@code null} when absent; {@code metadata} is never null.
 */
public record UploadRequest(
    int schemaVersion,
    String requestId,
    String filePath,
    String prefix,
    String fileName,
    String contentType,
    Instant requestedAt,
    Map<String, String> metadata) {

  public static final int CURRENT_SCHEMA_VERSION = 1;

  public UploadRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(filePath, "filePath");
    Objects.requireNonNull(prefix, "prefix");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A version-1 request with only the required fields. */
  public static UploadRequest of(String requestId, String filePath, String prefix) {
    return new UploadRequest(
        CURRENT_SCHEMA_VERSION, requestId, filePath, prefix, null, null, null, Map.of());
  }
}
