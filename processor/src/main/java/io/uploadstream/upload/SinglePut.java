package io.uploadstream.upload;

import java.io.IOException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Sends a file smaller than one part (an empty file too) in one PutObject, on the caller's thread,
 * under the same retry policy as parts, buffered or streamed as a part of its size would be ({@link
 * PartContent}), with the {@link WriteCondition} the caller decided on, the spec's {@link
 * ObjectOptions} and the settings' {@link Encryption}. Reported to the listener as part 1.
 */
final class SinglePut {
  private final S3Client s3;
  private final StorageRetry retry;

  SinglePut(S3Client s3, StorageRetry retry) {
    this.s3 = s3;
    this.retry = retry;
  }

  StoredObject send(UploadContext upload, String contentType, WriteCondition condition)
      throws IOException {
    long lengthBytes = upload.file().sizeBytes();
    ChecksumAlgorithm algorithm = upload.settings().checksumAlgorithm();
    try (PartContent content = PartContent.read(upload, 0, lengthBytes)) {
      PartChecksum checksum = content.checksum(algorithm);
      // Unchanged now: the bytes checksummed are a true copy of the file (a streamed body that
      // reads other bytes later fails the store's check against this checksum).
      upload.file().verifyUnchanged();
      return put(upload, contentType, content, checksum, condition);
    }
  }

  private StoredObject put(
      UploadContext upload,
      String contentType,
      PartContent content,
      PartChecksum checksum,
      WriteCondition condition)
      throws IOException {
    UploadSpec spec = upload.spec();
    UploadListener listener = upload.listener();
    long lengthBytes = content.lengthBytes();
    Encryption encryption = upload.settings().encryption();
    PutObjectRequest.Builder builder =
        PutObjectRequest.builder()
            .bucket(spec.bucket())
            .key(spec.key())
            .contentType(contentType)
            .contentLength(lengthBytes)
            .metadata(spec.storedMetadata())
            .overrideConfiguration(o -> wholeIfEmpty(o, lengthBytes));
    PutObjectRequest request =
        condition
            .applyTo(checksum.applyTo(encryption.applyTo(spec.options().applyTo(builder))))
            .build();
    Thread caller = Thread.currentThread();
    RequestBody body =
        RequestBody.fromContentProvider(
            content.body(caller::isInterrupted), lengthBytes, contentType);
    listener.partStarted(spec, 1, lengthBytes);
    try {
      PutObjectResponse response =
          retry.call(
              () -> s3.putObject(request, body),
              (attempt, cause) -> listener.partRetried(spec, 1, attempt, cause));
      listener.partUploaded(spec, 1, lengthBytes, lengthBytes, lengthBytes);
      return StoredObject.of(
          response.eTag(),
          checksum.algorithm() == ChecksumAlgorithm.CRC32C ? response.checksumCRC32C() : null);
    } catch (SdkException e) {
      FileRangeBody.throwIfReadFailed(e);
      throw StorageException.ofWrite("PutObject", spec, null, encryption, e);
    } finally {
      listener.partFinished(spec, 1);
    }
  }

  private static void wholeIfEmpty(AwsRequestOverrideConfiguration.Builder request, long length) {
    if (length == 0) {
      request.addPlugin(NoChunkEncoding.INSTANCE);
    }
  }
}
