package io.uploadstream.upload;

/**
 * Observes uploads (metrics, progress events) so the uploader never imports a metrics library.
 * Every method has a no-op default; implementations must be cheap and thread-safe because part
 * threads call them.
 */
public interface UploadListener {
  UploadListener NONE = new UploadListener() {};

  /** A part (or a single PutObject body) started sending. */
  default void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {}

  /** A part was stored; {@code bytesDone} of {@code totalBytes} of the file are now stored. */
  default void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {}

  /**
   * A part an earlier attempt stored in the resumed upload matched the file and is kept: it is not
   * sent, and {@link #partStarted}/{@link #partFinished} are not called for it.
   */
  default void partResumed(UploadSpec spec, int partNumber, long sizeBytes) {}

  /** A part attempt failed with a retryable error and will be tried again. */
  default void partRetried(UploadSpec spec, int partNumber, int attempt, Throwable cause) {}

  /** A part finished, stored or not (pairs with {@link #partStarted}). */
  default void partFinished(UploadSpec spec, int partNumber) {}
}
