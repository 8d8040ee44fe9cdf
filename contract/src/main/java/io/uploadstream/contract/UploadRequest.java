package io.uploadstream.contract;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * "Upload this local file under this prefix": the event on the request topic. Optional fields are
 * {@code null} when absent ({@code afterUpload} absent means {@link AfterUpload#KEEP}); {@code
 * metadata} and {@code tags} are never null. {@code cacheControl}, {@code contentDisposition},
 * {@code storageClass} and {@code tags} are stored with the object (over the processor's defaults).
 */
public record UploadRequest(
    int schemaVersion,
    String requestId,
    String filePath,
    String prefix,
    String fileName,
    String contentType,
    Instant requestedAt,
    Map<String, String> metadata,
    String cacheControl,
    String contentDisposition,
    String storageClass,
    Map<String, String> tags,
    AfterUpload afterUpload) {

  public static final int CURRENT_SCHEMA_VERSION = 1;

  public UploadRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(filePath, "filePath");
    Objects.requireNonNull(prefix, "prefix");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** A request without object options, keeping its file. */
  public UploadRequest(
      int schemaVersion,
      String requestId,
      String filePath,
      String prefix,
      String fileName,
      String contentType,
      Instant requestedAt,
      Map<String, String> metadata) {
    this(
        schemaVersion,
        requestId,
        filePath,
        prefix,
        fileName,
        contentType,
        requestedAt,
        metadata,
        null,
        null,
        null,
        Map.of(),
        null);
  }

  /** A version-1 request with only the required fields. */
  public static UploadRequest of(String requestId, String filePath, String prefix) {
    return new UploadRequest(
        CURRENT_SCHEMA_VERSION, requestId, filePath, prefix, null, null, null, Map.of());
  }

  /** Whether the file is to be deleted once its result is committed. */
  public boolean deletesSource() {
    return afterUpload == AfterUpload.DELETE;
  }

  /** This request with {@code requestedAt} set. */
  public UploadRequest withRequestedAt(Instant at) {
    return new UploadRequest(
        schemaVersion,
        requestId,
        filePath,
        prefix,
        fileName,
        contentType,
        at,
        metadata,
        cacheControl,
        contentDisposition,
        storageClass,
        tags,
        afterUpload);
  }
}
