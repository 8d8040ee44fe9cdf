package io.uploadstream.upload;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.upload.KeyWriter.Placement;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Uploads one local file to S3: a single PutObject below the part size, else a multipart upload
 * whose parts are read by position and sent at most {@code partsInFlight} at once, each retried on
 * its own and verified by the store against its checksum header. A multipart upload that can never
 * complete (the store refused it with a 4xx, the file changed or cannot be read) is aborted, so
 * nothing useless is left in the bucket. Two kinds are kept instead, so the next attempt at the
 * same request resumes them rather than sending the file again from its first part: one that failed
 * because the store kept failing (retries exhausted on 5xx, throttling or network errors; the
 * outcome says so, {@link UploadFailed#leftForResume()}), and one interrupted (its partition moved
 * to another instance, or the processor stopped): the request is certain to be delivered again, and
 * its next owner resumes it. Kept uploads nobody resumes are the janitor's ({@link
 * MultipartJanitor}) and the bucket lifecycle rule's.
 *
 * <p>Keys are deterministic, so a redelivered request uploads to the key its first delivery used.
 * For a multipart-sized file the uploader therefore first checks what that delivery left: an object
 * that already holds exactly this file is reused without sending anything ({@link ExistingObject});
 * an incomplete multipart upload of the key whose stored parts all hold this file is resumed,
 * sending only the parts missing ({@link ResumableUpload}). Files below the part size are put at
 * once: checking would cost a request as well.
 *
 * <p>Two different requests can map to one key. Every object carries the {@code requestId} that
 * wrote it ({@link RequestIdMetadata}), and no write replaces another request's object ({@link
 * KeyWriter}): such a key answers {@code KEY_CONFLICT}, or the upload goes to the request's renamed
 * key ({@link RenameOnConflict}), as {@link KeyConflictSettings} say.
 *
 * <p>Thread-safe: one instance serves concurrent uploads, which share its part executor and buffer
 * pool. Part buffers take at most {@code partsInFlight} × the part size (rounded up to a whole MiB)
 * per upload in flight, whatever the file size: parts that {@link PartPlan} grows beyond the part
 * size (files over 10,000 parts) are streamed from the file, not buffered ({@link PartContent}).
 * Idle, the pool keeps at most {@code bufferPoolSize} buffers.
 */
public final class MultipartUploader {
  private static final Logger log = LoggerFactory.getLogger(MultipartUploader.class);

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final UploaderSettings settings;
  private final ExecutorService partExecutor;
  private final UploadListener listener;
  private final Clock clock;
  private final StorageRetry retry;
  private final PartBuffers buffers;
  private final KeysInFlight keysInFlight = new KeysInFlight();
  private final KeyWriter keyWriter;
  private final StoredLookup storedLookup;
  private final FileOpener fileOpener;
  private final int maxPartCount;

  /** An uploader that opens files without any check ({@link FileOpener#PLAIN}). */
  public MultipartUploader(
      S3Client s3,
      UploaderSettings settings,
      ExecutorService partExecutor,
      UploadListener listener,
      Clock clock) {
    this(s3, settings, partExecutor, listener, clock, FileOpener.PLAIN);
  }

  /** An uploader whose buffer pool keeps {@code partsInFlight} buffers: one upload at a time. */
  public MultipartUploader(
      S3Client s3,
      UploaderSettings settings,
      ExecutorService partExecutor,
      UploadListener listener,
      Clock clock,
      FileOpener fileOpener) {
    this(s3, settings, partExecutor, listener, clock, fileOpener, settings.partsInFlight());
  }

  /**
   * @param partExecutor runs the parts of every upload; shared and owned by the caller. Give it at
   *     least {@code partsInFlight} threads per upload you want to run at full speed.
   * @param fileOpener opens every file {@link #upload(UploadSpec)} reads, each time it opens it; a
   *     refusal ({@link FileRefusedException}) fails the upload with the refusal's code
   * @param bufferPoolSize how many part buffers the pool keeps for reuse when they are idle: the
   *     most parts in flight at once, uploads in flight × {@code partsInFlight}, lets every part
   *     reuse one; fewer caps the idle memory, and the parts beyond allocate a buffer each
   */
  public MultipartUploader(
      S3Client s3,
      UploaderSettings settings,
      ExecutorService partExecutor,
      UploadListener listener,
      Clock clock,
      FileOpener fileOpener,
      int bufferPoolSize) {
    this(
        s3,
        settings,
        partExecutor,
        listener,
        clock,
        fileOpener,
        bufferPoolSize,
        PartPlan.MAX_PARTS);
  }

  /** {@code maxPartCount} below S3's 10,000 lets tests grow the parts of a small file. */
  MultipartUploader(
      S3Client s3,
      UploaderSettings settings,
      ExecutorService partExecutor,
      UploadListener listener,
      Clock clock,
      FileOpener fileOpener,
      int bufferPoolSize,
      int maxPartCount) {
    Objects.requireNonNull(s3, "s3");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.partExecutor = Objects.requireNonNull(partExecutor, "partExecutor");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fileOpener = Objects.requireNonNull(fileOpener, "fileOpener");
    if (bufferPoolSize < 0) {
      throw new IllegalArgumentException(
          "bufferPoolSize must not be negative, was " + bufferPoolSize);
    }
    if (!settings.checksumAlgorithm().worksWith(addsSdkChecksums(s3))) {
      throw new IllegalArgumentException(
          "checksumAlgorithm MD5 needs an S3 client with flexibleChecksums off (WHEN_REQUIRED): "
              + ChecksumAlgorithm.MD5_WITH_SDK_CHECKSUMS);
    }
    this.retry = new StorageRetry(settings.retry());
    this.buffers = new PartBuffers(bufferSizeBytes(settings), bufferPoolSize);
    this.maxPartCount = maxPartCount;
    this.keyWriter = new KeyWriter(s3, retry);
    this.storedLookup = new StoredLookup(new ObjectHeads(s3, retry), settings, clock);
  }

  /** The standard part size; larger still (over 1 GiB) every part is streamed. */
  private static int bufferSizeBytes(UploaderSettings settings) {
    long standard = PartPlan.standardPartSizeBytes(settings.partSizeBytes());
    return (int) Math.min(standard, PartBuffers.MAX_BUFFER_SIZE_BYTES);
  }

  private static boolean addsSdkChecksums(S3Client s3) {
    return s3.serviceClientConfiguration().requestChecksumCalculation()
        != RequestChecksumCalculation.WHEN_REQUIRED;
  }

  /**
   * Uploads {@code spec.file()} to {@code spec.bucket()}/{@code spec.key()}.
   *
   * @throws InterruptedException if the calling thread was interrupted; the parts in flight were
   *     cancelled first, and a multipart upload was kept (its uploadId logged) for the request's
   *     next attempt to resume.
   */
  public UploadOutcome upload(UploadSpec spec) throws InterruptedException {
    return upload(spec, fileOpener);
  }

  /**
   * Uploads {@code spec.file()} as {@link #upload(UploadSpec)} does, opening it (first and on every
   * reopen) only through {@code opener}: the processor's opener is bound to the file its path check
   * cleared and refuses any other.
   *
   * @throws InterruptedException if the calling thread was interrupted; the parts in flight were
   *     cancelled and the multipart upload aborted first.
   */
  public UploadOutcome upload(UploadSpec spec, FileOpener opener) throws InterruptedException {
    Instant startedAt = clock.instant();
    boolean onlyUploadOfKey = keysInFlight.add(spec.key());
    try (SourceFile file = SourceFile.open(spec.file(), opener)) {
      return store(spec, file, startedAt, onlyUploadOfKey);
    } catch (ClosedByInterruptException e) {
      Thread.interrupted(); // the exception carries the interruption now; we rethrow it as such
      throw Interruptible.interrupted("reading " + spec.file(), e);
    } catch (IOException e) {
      return FileFailures.outcome(spec, e, startedAt);
    } catch (StorageException e) {
      log.warn("upload of {} to s3://{}/{} failed", spec.file(), spec.bucket(), spec.key(), e);
      return new UploadFailed(
          ErrorCode.STORAGE_ERROR, e.getMessage(), e.retryable(), startedAt, e.uploadKept());
    } finally {
      keysInFlight.remove(spec.key());
    }
  }

  /**
   * The object the request {@code spec.requestId()} stored at {@code spec.key()} (or, renaming on
   * conflicts, at its renamed key), found by the request id it carries, without reading {@code
   * spec.file()}: how a redelivery is answered after the file was deleted. Empty when no object of
   * this request is there; an {@link UploadFailed} ({@code STORAGE_ERROR}) when the store could not
   * be asked.
   */
  public Optional<UploadOutcome> findStored(UploadSpec spec) throws InterruptedException {
    return storedLookup.find(spec);
  }

  /**
   * The keys this uploader is uploading to right now or that are {@link #holdKey held} (a
   * snapshot): their incomplete multipart uploads are in use and must not be cleaned up.
   */
  public Set<String> keysInFlight() {
    return keysInFlight.snapshot();
  }

  /**
   * Keeps {@code key} in {@link #keysInFlight} until the hold is closed, across several uploads of
   * it: a caller that tries a request again after a store outage holds the key from its first
   * attempt to the request's final outcome, so the upload kept between attempts is not taken for
   * abandoned. A held key does not make an upload of it a second one ({@code onlyUploadOfKey}).
   */
  public KeyHold holdKey(String key) {
    return keysInFlight.hold(key);
  }

  PartBuffers partBuffers() {
    return buffers;
  }

  private UploadOutcome store(
      UploadSpec spec, SourceFile file, Instant startedAt, boolean onlyUploadOfKey)
      throws IOException, InterruptedException {
    if (file.sizeBytes() > PartPlan.MAX_OBJECT_SIZE_BYTES) {
      return new UploadFailed(
          ErrorCode.FILE_TOO_LARGE,
          spec.file() + " has " + file.sizeBytes() + " bytes; S3 stores at most 5 TiB",
          false,
          startedAt);
    }
    PartPlan plan = PartPlan.of(file.sizeBytes(), settings.partSizeBytes(), maxPartCount);
    String contentType = StoreOutcomes.contentType(spec);
    UploadContext upload = new UploadContext(spec, file, settings, partExecutor, listener, buffers);
    Placement placement = keyWriter.write(upload, plan, contentType, onlyUploadOfKey);
    Optional<Placement.Taken> taken = placement.taken();
    if (taken.isPresent() && settings.keyConflicts().onConflict() == OnKeyConflict.RENAME) {
      placement =
          RenameOnConflict.place(keyWriter, keysInFlight, upload, plan, contentType, taken.get());
    }
    return placement.fold(
        placed ->
            StoreOutcomes.succeeded(spec, placed, plan, contentType, startedAt, clock.instant()),
        conflict -> StoreOutcomes.keyConflict(spec, conflict, startedAt));
  }
}
