package io.uploadstream.upload;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Whether a stored object carries exactly the options an upload would store it with: its {@link
 * ObjectOptions} (Cache-Control, Content-Disposition, a storage class asked for, tags) and its
 * {@link Encryption}. An object that differs in any of them is not the upload's object as asked, so
 * it is not reused. A storage class is compared only when one is asked for (lifecycle rules move
 * objects between classes); encryption only when {@code s3.sse} asks for one. Tags are read last,
 * and only when everything a HEAD shows matched ({@link ObjectTags}): tags that cannot be read
 * count as different.
 */
final class StoredOptions {
  private static final String DEFAULT_STORAGE_CLASS = "STANDARD";

  private final ObjectTags tags;

  StoredOptions(S3Client s3, StorageRetry retry) {
    this.tags = new ObjectTags(s3, retry);
  }

  /** How {@code head}, the object at the upload's key, differs from the upload's options. */
  Optional<String> difference(UploadContext upload, HeadObjectResponse head) {
    ObjectOptions wanted = upload.spec().options();
    Optional<String> shown =
        headerDifference(wanted, head).or(() -> upload.settings().encryption().difference(head));
    if (shown.isPresent()) {
      return shown;
    }
    long size = head.contentLength() == null ? 0 : head.contentLength();
    Map<String, String> stored;
    try {
      stored = tags.of(upload.spec(), size);
    } catch (StorageException e) {
      return Optional.of("has tags that cannot be read (" + e.getMessage() + ")");
    }
    return stored.equals(wanted.tags())
        ? Optional.empty()
        : Optional.of("has " + stored.size() + " other tags");
  }

  private static Optional<String> headerDifference(ObjectOptions wanted, HeadObjectResponse head) {
    if (!Objects.equals(wanted.cacheControl(), blankToNull(head.cacheControl()))) {
      return Optional.of("has Cache-Control " + head.cacheControl());
    }
    if (!Objects.equals(wanted.contentDisposition(), blankToNull(head.contentDisposition()))) {
      return Optional.of("has Content-Disposition " + head.contentDisposition());
    }
    String storageClass =
        head.storageClassAsString() == null ? DEFAULT_STORAGE_CLASS : head.storageClassAsString();
    if (wanted.storageClass() != null && !wanted.storageClass().equals(storageClass)) {
      return Optional.of("has storage class " + storageClass);
    }
    return Optional.empty();
  }

  private static String blankToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
