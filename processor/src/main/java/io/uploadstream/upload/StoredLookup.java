package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.keys.InvalidKeyException;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Finds the object a request stored, by its key and the {@code requestId} the object carries
 * ({@link RequestIdMetadata}); with {@code upload.on-key-conflict=rename} at the request's renamed
 * key too. Nothing of the file is compared: there is no file any more (it was deleted after the
 * upload), so the object is the request's by its id alone. The outcome describes the object as the
 * store reports it.
 */
final class StoredLookup {
  private final ObjectHeads heads;
  private final UploaderSettings settings;
  private final Clock clock;

  StoredLookup(ObjectHeads heads, UploaderSettings settings, Clock clock) {
    this.heads = heads;
    this.settings = settings;
    this.clock = clock;
  }

  /** The request's object as a success, a failed look, or empty when none is stored. */
  Optional<UploadOutcome> find(UploadSpec spec) throws InterruptedException {
    Instant startedAt = clock.instant();
    try {
      for (String key : keys(spec)) {
        Optional<HeadObjectResponse> head = Interruptible.call(() -> heads.find(spec.withKey(key)));
        if (head.isPresent() && KeyConflict.isOurs(head.get(), spec.requestId())) {
          return Optional.of(succeeded(spec.bucket(), key, head.get(), startedAt));
        }
      }
      return Optional.empty();
    } catch (StorageException | IOException e) {
      return Optional.of(
          new UploadFailed(
              ErrorCode.STORAGE_ERROR,
              e.getMessage(),
              !(e instanceof StorageException s) || s.retryable(),
              startedAt));
    }
  }

  private List<String> keys(UploadSpec spec) {
    List<String> keys = new ArrayList<>(List.of(spec.key()));
    if (settings.keyConflicts().onConflict() == OnKeyConflict.RENAME) {
      try {
        keys.add(ObjectKeys.renamed(spec.key(), spec.requestId()));
      } catch (InvalidKeyException e) {
        // no renamed key can exist: only the key itself can hold the object
      }
    }
    return keys;
  }

  private UploadSucceeded succeeded(
      String bucket, String key, HeadObjectResponse head, Instant startedAt) {
    boolean crc32c = settings.checksumAlgorithm() == ChecksumAlgorithm.CRC32C;
    StoredObject stored = StoredObject.of(head.eTag(), crc32c ? head.checksumCRC32C() : null);
    int parts =
        Math.max(
            ObjectChecksums.partCount(stored.checksum().value()),
            ObjectChecksums.partCount(stored.etag()));
    String contentType =
        head.contentType() != null ? head.contentType() : MultipartUploader.DEFAULT_CONTENT_TYPE;
    long size = head.contentLength() == null ? 0 : head.contentLength();
    return new UploadSucceeded(
        bucket,
        key,
        size,
        parts,
        stored.etag(),
        contentType,
        stored.checksum(),
        true,
        startedAt,
        clock.instant());
  }
}
