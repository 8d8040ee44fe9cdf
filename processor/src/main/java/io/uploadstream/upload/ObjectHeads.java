package io.uploadstream.upload;

import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * HeadObject of an upload's key (checksum mode on, so a stored CRC32C is reported), under the retry
 * policy: what is stored there, if anything, and which request stored it.
 */
final class ObjectHeads {
  private final S3Client s3;
  private final StorageRetry retry;

  ObjectHeads(S3Client s3, StorageRetry retry) {
    this.s3 = s3;
    this.retry = retry;
  }

  /**
   * The object at {@code spec.key()}; empty when there is none (404).
   *
   * @throws StorageException when the store cannot answer (or the thread was interrupted)
   */
  Optional<HeadObjectResponse> find(UploadSpec spec) {
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
      throw StorageException.of("HeadObject", spec, null, 0, e);
    }
  }
}
