package io.uploadstream.upload;

/**
 * A key kept in an uploader's {@link MultipartUploader#keysInFlight() keys in flight} until closed,
 * across several uploads of it and the pauses between them. Closing twice releases it once.
 */
public interface KeyHold extends AutoCloseable {
  @Override
  void close();
}
