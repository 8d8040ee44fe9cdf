package io.uploadstream.upload;

import io.uploadstream.keys.RequestIdMetadata;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Whether the object stored at an upload's key is exactly what the upload would store: same size,
 * Content-Type, user metadata (the request's {@link RequestIdMetadata} entry included, so only the
 * same request's object can match), options ({@link StoredOptions}: headers, storage class,
 * encryption, tags) and checksum. A redelivered request whose first delivery completed is then
 * answered without sending the body. The checksum compared is the whole-object CRC32C when the
 * store reports one (composite {@code base64-N} or full-object), else the ETag (hex MD5, or {@code
 * hex-N} for a multipart upload); both are computed locally from the file with the upload's part
 * plan (see {@link ObjectChecksums}). Anything else, or anything that cannot be compared, is not
 * identical.
 *
 * <p>The check reads the file once, only when everything else matches; tags are read before that,
 * only when everything a HEAD shows matches.
 */
final class ExistingObject {
  private static final Logger log = LoggerFactory.getLogger(ExistingObject.class);

  private ExistingObject() {}

  /**
   * Whether {@code head} describes exactly the file the upload would store.
   *
   * @throws IOException reading the file, including {@link FileChangedException}
   */
  static boolean identical(
      UploadContext upload,
      PartPlan plan,
      String contentType,
      HeadObjectResponse head,
      StoredOptions options)
      throws IOException {
    UploadSpec spec = upload.spec();
    Optional<String> difference = difference(head, upload, plan, contentType, options);
    if (difference.isPresent()) {
      log.info("s3://{}/{} exists but {}", spec.bucket(), spec.key(), difference.get());
      return false;
    }
    log.info("s3://{}/{} already holds {}: not uploading", spec.bucket(), spec.key(), spec.file());
    return true;
  }

  /** The stored object as the outcome reports it: found, not sent. */
  static StoredObject reused(UploadContext upload, HeadObjectResponse head) {
    boolean crc32c = upload.settings().checksumAlgorithm() == ChecksumAlgorithm.CRC32C;
    return StoredObject.of(head.eTag(), crc32c ? head.checksumCRC32C() : null).asReused();
  }

  private static Optional<String> difference(
      HeadObjectResponse head,
      UploadContext upload,
      PartPlan plan,
      String contentType,
      StoredOptions options)
      throws IOException {
    if (head.contentLength() == null || head.contentLength() != plan.fileSizeBytes()) {
      return Optional.of("has " + head.contentLength() + " bytes");
    }
    if (!contentType.equals(head.contentType())) {
      return Optional.of("has Content-Type " + head.contentType());
    }
    if (!lowerCaseKeys(upload.spec().storedMetadata()).equals(lowerCaseKeys(head.metadata()))) {
      return Optional.of("has other user metadata");
    }
    Optional<String> otherOptions = options.difference(upload, head);
    if (otherOptions.isPresent()) {
      return otherOptions;
    }
    return contentDifference(head, upload, plan);
  }

  private static Optional<String> contentDifference(
      HeadObjectResponse head, UploadContext upload, PartPlan plan) throws IOException {
    FileDigests digests = new FileDigests(upload.file(), upload.buffers());
    String stored = head.checksumCRC32C() != null ? head.checksumCRC32C() : head.eTag();
    stored = ObjectChecksums.unquoted(stored);
    int storedParts = ObjectChecksums.partCount(stored);
    if (storedParts > 0 && storedParts != plan.partCount()) {
      return Optional.of(
          "has " + storedParts + " parts where " + plan.partCount() + " are planned");
    }
    String local;
    if (head.checksumCRC32C() != null) {
      local =
          storedParts > 0
              ? ObjectChecksums.compositeCrc32c(digests.ofParts(plan, ChecksumAlgorithm.CRC32C))
              : ObjectChecksums.base64(digests.ofWhole(ChecksumAlgorithm.CRC32C));
    } else if (storedParts > 0) {
      local = ObjectChecksums.multipartEtag(digests.ofParts(plan, ChecksumAlgorithm.MD5));
    } else if (ObjectChecksums.isPlainMd5(stored)) {
      local = ObjectChecksums.hex(digests.ofWhole(ChecksumAlgorithm.MD5));
    } else {
      return Optional.of("has an ETag that is no MD5 (" + stored + ") and no CRC32C");
    }
    upload.file().verifyUnchanged(); // the digests describe the file as it is now
    boolean same =
        head.checksumCRC32C() != null ? local.equals(stored) : local.equalsIgnoreCase(stored);
    return same ? Optional.empty() : Optional.of("has other content (" + stored + ")");
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> metadata) {
    return metadata.entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
  }
}
