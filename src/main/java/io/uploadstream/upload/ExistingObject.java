package io.uploadstream.upload;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The object already stored at an upload's key, when it is exactly what the upload would store:
 * same size, Content-Type, user metadata and checksum. A redelivered request whose first delivery
 * completed is then answered without sending the body. The checksum compared is the whole-object
 * CRC32C when the store reports one (composite {@code base64-N} or full-object), else the ETag (hex
 * MD5, or {@code hex-N} for a multipart upload); both are computed locally from the file with the
 * upload's part plan (see {@link ObjectChecksums}). Anything else, or anything that cannot be
 * compared, means the file is uploaded again.
 *
 * <p>The check costs a HeadObject and one read of the file (only when the size matches), so the
 * uploader runs it for multipart-sized files only; smaller files are simply put again.
 */
final class ExistingObject {
  private static final Logger log = LoggerFactory.getLogger(ExistingObject.class);

  private final S3Client s3;
  private final StorageRetry retry;

  ExistingObject(S3Client s3, StorageRetry retry) {
    this.s3 = s3;
    this.retry = retry;
  }

  /**
   * What is stored at the upload's key when it matches the file exactly; empty otherwise. A store
   * that cannot answer the HeadObject is logged and treated as holding no match.
   *
   * @throws StorageException only when the calling thread was interrupted
   * @throws IOException reading the file, including {@link FileChangedException}
   */
  Optional<StoredObject> matching(UploadContext upload, PartPlan plan, String contentType)
      throws IOException {
    UploadSpec spec = upload.spec();
    Optional<HeadObjectResponse> head = head(spec);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> difference = difference(head.get(), upload, plan, contentType);
    if (difference.isPresent()) {
      log.info("s3://{}/{} exists but {}: uploading", spec.bucket(), spec.key(), difference.get());
      return Optional.empty();
    }
    log.info("s3://{}/{} already holds {}: not uploading", spec.bucket(), spec.key(), spec.file());
    boolean crc32c = upload.settings().checksumAlgorithm() == ChecksumAlgorithm.CRC32C;
    return Optional.of(
        StoredObject.of(head.get().eTag(), crc32c ? head.get().checksumCRC32C() : null).asReused());
  }

  private Optional<HeadObjectResponse> head(UploadSpec spec) {
    try {
      return Optional.of(
          retry.call(
              () ->
                  s3.headObject(
                      b ->
                          b.bucket(spec.bucket())
                              .key(spec.key())
                              .checksumMode(ChecksumMode.ENABLED)),
              StorageRetry.RetryObserver.NONE));
    } catch (SdkException e) {
      if (e instanceof AwsServiceException response && response.statusCode() == 404) {
        return Optional.empty();
      }
      if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
        throw StorageException.of("HeadObject", spec, null, 0, e); // the caller rethrows it
      }
      log.warn("cannot check s3://{}/{}, uploading: {}", spec.bucket(), spec.key(), e.toString());
      return Optional.empty();
    }
  }

  private static Optional<String> difference(
      HeadObjectResponse head, UploadContext upload, PartPlan plan, String contentType)
      throws IOException {
    if (head.contentLength() == null || head.contentLength() != plan.fileSizeBytes()) {
      return Optional.of("has " + head.contentLength() + " bytes");
    }
    if (!contentType.equals(head.contentType())) {
      return Optional.of("has Content-Type " + head.contentType());
    }
    if (!lowerCaseKeys(upload.spec().metadata()).equals(lowerCaseKeys(head.metadata()))) {
      return Optional.of("has other user metadata");
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
