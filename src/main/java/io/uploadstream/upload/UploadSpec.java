package io.uploadstream.upload;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to upload and where: a local file (already checked by the caller to be allowed), the target
 * bucket and key, the Content-Type ({@code null}: {@code application/octet-stream}; the processor
 * resolves it with {@link ContentTypes} first) and user metadata. {@code requestId} is only used
 * for logs and progress events.
 */
public record UploadSpec(
    String requestId,
    Path file,
    String bucket,
    String key,
    String contentType,
    Map<String, String> metadata) {

  public UploadSpec {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
