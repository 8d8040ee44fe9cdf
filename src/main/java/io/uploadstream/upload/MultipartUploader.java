package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one local file to S3: a single PutObject below the part size, else a multipart upload
 * whose parts are read by position and sent at most {@code partsInFlight} at once, each retried on
 * its own and verified by the store against its checksum header. A failed or interrupted upload is
 * aborted, so nothing incomplete is left in the bucket.
 *
 * <p>Thread-safe: one instance serves concurrent uploads, which share its part executor and buffer
 * pool. Memory is bounded by uploads in flight × {@code partsInFlight} × part size.
 */
public final class MultipartUploader {
  private static final Logger log = LoggerFactory.getLogger(MultipartUploader.class);

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** Parts are buffered in one Java array each, so their size must stay well below 2 GiB. */
  static final long MAX_BUFFERED_PART_SIZE_BYTES = 1024 * UploaderSettings.MIB;

  private final S3Client s3;
  private final UploaderSettings settings;
  private final ExecutorService partExecutor;
  private final UploadListener listener;
  private final Clock clock;
  private final StorageRetry retry;
  private final PartBuffers buffers;

  /**
   * @param partExecutor runs the parts of every upload; shared and owned by the caller. Give it at
   *     least {@code partsInFlight} threads per upload you want to run at full speed.
   */
  public MultipartUploader(
      S3Client s3,
      UploaderSettings settings,
      ExecutorService partExecutor,
      UploadListener listener,
      Clock clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.partExecutor = Objects.requireNonNull(partExecutor, "partExecutor");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (settings.partSizeBytes() > MAX_BUFFERED_PART_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "partSizeBytes must be at most 1 GiB for this uploader, was " + settings.partSizeBytes());
    }
    if (settings.checksumAlgorithm() == ChecksumAlgorithm.MD5 && addsSdkChecksums(s3)) {
      throw new IllegalArgumentException(
          "checksumAlgorithm MD5 needs an S3 client with flexibleChecksums off (WHEN_REQUIRED):"
              + " otherwise the SDK adds its own CRC32 to every part as an aws-chunked trailer");
    }
    this.retry = new StorageRetry(settings.retry());
    this.buffers = new PartBuffers((int) settings.partSizeBytes(), settings.partsInFlight());
  }

  private static boolean addsSdkChecksums(S3Client s3) {
    return s3.serviceClientConfiguration().requestChecksumCalculation()
        != RequestChecksumCalculation.WHEN_REQUIRED;
  }

  /**
   * Uploads {@code spec.file()} to {@code spec.bucket()}/{@code spec.key()}.
   *
   * @throws InterruptedException if the calling thread was interrupted; the parts in flight were
   *     cancelled and the multipart upload aborted first.
   */
  public UploadOutcome upload(UploadSpec spec) throws InterruptedException {
    Instant startedAt = clock.instant();
    try (SourceFile file = SourceFile.open(spec.file())) {
      return store(spec, file, startedAt);
    } catch (ClosedByInterruptException e) {
      Thread.interrupted(); // the exception carries the interruption now; we rethrow it as such
      throw interrupted("reading " + spec.file(), e);
    } catch (IOException e) {
      return fileFailure(spec, e, startedAt);
    } catch (StorageException e) {
      log.warn("upload of {} to s3://{}/{} failed", spec.file(), spec.bucket(), spec.key(), e);
      return new UploadFailed(ErrorCode.STORAGE_ERROR, e.getMessage(), e.retryable(), startedAt);
    }
  }

  private UploadOutcome store(UploadSpec spec, SourceFile file, Instant startedAt)
      throws IOException, InterruptedException {
    if (file.sizeBytes() > PartPlan.MAX_OBJECT_SIZE_BYTES) {
      return new UploadFailed(
          ErrorCode.FILE_TOO_LARGE,
          spec.file() + " has " + file.sizeBytes() + " bytes; S3 stores at most 5 TiB",
          false,
          startedAt);
    }
    PartPlan plan = PartPlan.of(file.sizeBytes(), settings.partSizeBytes());
    String contentType = contentType(spec);
    UploadContext upload = new UploadContext(spec, file, settings, partExecutor, listener, buffers);
    StoredObject stored =
        plan.singlePut()
            ? interruptible(() -> new SinglePut(s3, retry).send(upload, contentType))
            : sendMultipart(upload, plan, contentType);
    return new UploadSucceeded(
        spec.bucket(),
        spec.key(),
        plan.fileSizeBytes(),
        plan.reportedPartCount(),
        stored.etag(),
        contentType,
        stored.checksum(),
        false,
        startedAt,
        clock.instant());
  }

  private StoredObject sendMultipart(UploadContext upload, PartPlan plan, String contentType)
      throws IOException, InterruptedException {
    MultipartSession session =
        interruptible(
            () ->
                MultipartSession.create(
                    s3, retry, upload.spec(), contentType, settings.checksumAlgorithm()));
    boolean completed = false;
    try {
      List<CompletedPart> parts = new PartScheduler(upload, session, plan).uploadAll();
      upload.file().verifyUnchanged();
      CompleteMultipartUploadResponse response = interruptible(() -> session.complete(parts));
      completed = true;
      return StoredObject.of(response.eTag(), reportedCrc32c(response));
    } finally {
      if (!completed) {
        session.abort();
      }
    }
  }

  private String reportedCrc32c(CompleteMultipartUploadResponse response) {
    return settings.checksumAlgorithm() == ChecksumAlgorithm.CRC32C
        ? response.checksumCRC32C()
        : null;
  }

  private static String contentType(UploadSpec spec) {
    // ContentTypes.resolve(spec) plugs in here (detect from the key's file name) once it lands.
    return spec.contentType() != null ? spec.contentType() : DEFAULT_CONTENT_TYPE;
  }

  /**
   * Runs a store call on the caller's thread. An interrupt there surfaces from the SDK as an
   * aborted call, or from a retry backoff as the last failure with the flag set again; either way
   * it becomes an InterruptedException, with the flag cleared as for any thrown interruption.
   */
  private static <T> T interruptible(CallerThreadCall<T> call)
      throws InterruptedException, IOException {
    try {
      return call.run();
    } catch (StorageException e) {
      if (Thread.interrupted() || e.getCause() instanceof AbortedException) {
        throw interrupted(e.operation(), e);
      }
      throw e;
    }
  }

  private static InterruptedException interrupted(String during, Exception cause) {
    InterruptedException interrupted = new InterruptedException("interrupted: " + during);
    interrupted.initCause(cause);
    return interrupted;
  }

  private static UploadFailed fileFailure(UploadSpec spec, IOException e, Instant startedAt) {
    if (e instanceof NoSuchFileException) {
      return new UploadFailed(
          ErrorCode.FILE_NOT_FOUND, "no file at " + spec.file(), false, startedAt);
    }
    if (e instanceof AccessDeniedException) {
      return new UploadFailed(
          ErrorCode.FILE_NOT_READABLE, "no permission to read " + spec.file(), false, startedAt);
    }
    if (e instanceof FileChangedException) {
      // Retryable: a file still being written may be complete when the request is tried again.
      return new UploadFailed(ErrorCode.FILE_CHANGED, e.getMessage(), true, startedAt);
    }
    log.warn("cannot read {}", spec.file(), e);
    return new UploadFailed(
        ErrorCode.FILE_NOT_READABLE, "cannot read " + spec.file() + ": " + e, false, startedAt);
  }

  /** A step of the upload that runs on the caller's thread. */
  @FunctionalInterface
  private interface CallerThreadCall<T> {
    T run() throws IOException;
  }
}
