package io.uploadstream.upload;

import io.uploadstream.keys.RequestIdMetadata;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to upload and where: a local file (already checked by the caller to be allowed), the target
 * bucket and key, the Content-Type ({@code null}: {@code application/octet-stream}; the processor
 * resolves it with {@link ContentTypes} first) and user metadata. The object is stored with the
 * user metadata plus {@link RequestIdMetadata#KEY} naming {@code requestId}, which is how a later
 * upload tells this request's object from another's; so {@code metadata} must not use names with
 * the reserved prefix {@value RequestIdMetadata#RESERVED_PREFIX}. {@code options} are the headers,
 * storage class and tags the object is stored with.
 */
public record UploadSpec(
    String requestId,
    Path file,
    String bucket,
    String key,
    String contentType,
    Map<String, String> metadata,
    ObjectOptions options) {

  public UploadSpec {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    options = options == null ? ObjectOptions.NONE : options;
    for (String name : metadata.keySet()) {
      if (RequestIdMetadata.isReserved(name)) {
        throw new IllegalArgumentException(
            "metadata name '"
                + name
                + "' uses the reserved prefix "
                + RequestIdMetadata.RESERVED_PREFIX);
      }
    }
  }

  /** An upload without object options. */
  public UploadSpec(
      String requestId,
      Path file,
      String bucket,
      String key,
      String contentType,
      Map<String, String> metadata) {
    this(requestId, file, bucket, key, contentType, metadata, ObjectOptions.NONE);
  }

  /** The user metadata the object is stored with: {@code metadata} and the request's entry. */
  Map<String, String> storedMetadata() {
    return RequestIdMetadata.stored(metadata, requestId);
  }

  /** The same upload to another key (a renamed one). */
  UploadSpec withKey(String otherKey) {
    return new UploadSpec(requestId, file, bucket, otherKey, contentType, metadata, options);
  }
}
