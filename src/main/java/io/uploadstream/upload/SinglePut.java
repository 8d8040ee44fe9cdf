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
 * under the same retry policy as parts. Reported to the listener as part 1.
 */
final class SinglePut {
  private final S3Client s3;
  private final StorageRetry retry;

  SinglePut(S3Client s3, StorageRetry retry) {
    this.s3 = s3;
    this.retry = retry;
  }

  StoredObject send(UploadContext upload, String contentType) throws IOException {
    int lengthBytes = Math.toIntExact(upload.file().sizeBytes());
    byte[] buffer = upload.buffers().acquire(lengthBytes);
    try {
      upload.file().read(buffer, 0, lengthBytes);
      // The whole file is now in memory: if it is unchanged now, these bytes are a true copy.
      upload.file().verifyUnchanged();
      return put(upload, contentType, buffer, lengthBytes);
    } finally {
      upload.buffers().release(buffer);
    }
  }

  private StoredObject put(
      UploadContext upload, String contentType, byte[] buffer, int lengthBytes) {
    UploadSpec spec = upload.spec();
    UploadListener listener = upload.listener();
    ChecksumAlgorithm algorithm = upload.settings().checksumAlgorithm();
    PutObjectRequest request =
        PartChecksum.of(algorithm, buffer, lengthBytes)
            .applyTo(
                PutObjectRequest.builder()
                    .bucket(spec.bucket())
                    .key(spec.key())
                    .contentType(contentType)
                    .contentLength((long) lengthBytes)
                    .metadata(spec.metadata())
                    .overrideConfiguration(o -> wholeIfEmpty(o, lengthBytes)))
            .build();
    Thread caller = Thread.currentThread();
    RequestBody body =
        RequestBody.fromContentProvider(
            new PartBody(buffer, lengthBytes, caller::isInterrupted), lengthBytes, contentType);
    listener.partStarted(spec, 1, lengthBytes);
    try {
      PutObjectResponse response =
          retry.call(
              () -> s3.putObject(request, body),
              (attempt, cause) -> listener.partRetried(spec, 1, attempt, cause));
      listener.partUploaded(spec, 1, lengthBytes, lengthBytes, lengthBytes);
      return StoredObject.of(
          response.eTag(),
          algorithm == ChecksumAlgorithm.CRC32C ? response.checksumCRC32C() : null);
    } catch (SdkException e) {
      throw StorageException.of("PutObject", spec, null, 0, e);
    } finally {
      listener.partFinished(spec, 1);
    }
  }

  private static void wholeIfEmpty(AwsRequestOverrideConfiguration.Builder request, int length) {
    if (length == 0) {
      request.addPlugin(NoChunkEncoding.INSTANCE);
    }
  }
}
