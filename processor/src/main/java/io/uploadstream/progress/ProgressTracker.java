package io.uploadstream.progress;

import io.uploadstream.contract.UploadProgress;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploadSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns what the uploader reports into progress events for each running upload: one when its first
 * part starts, one each time it passes another tenth of its bytes (so a reader can show every 10
 * %), one when its last byte is stored, and in between at most one per {@code minInterval}; other
 * updates are skipped, not deferred. Thread-safe: worker and part threads call it, and each
 * upload's state is guarded by its own lock.
 */
public final class ProgressTracker implements ProcessorListener, UploadListener {
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);

  private final Consumer<UploadProgress> sink;
  private final Clock clock;
  private final Duration minInterval;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /** One running upload; every field guarded by the instance's lock. */
  private static final class Upload {
    long totalBytes;
    long bytesDone;
    int partsDone;
    int partCount; // 0 until the first part starts and shows the part size
    Instant lastSent;
    int lastSentTenth;

    Upload(long totalBytes) {
      this.totalBytes = Math.max(0, totalBytes);
    }
  }

  /** {@code sink} must not block: it is called on part threads. */
  public ProgressTracker(Consumer<UploadProgress> sink, Clock clock, Duration minInterval) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
  }

  @Override
  public void uploadStarted(String requestId, long sizeBytes) {
    uploads.put(requestId, new Upload(sizeBytes));
  }

  @Override
  public void uploadEnded(String requestId) {
    uploads.remove(requestId);
  }

  @Override
  public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
    Upload upload = uploads.get(spec.requestId());
    if (upload == null) {
      return;
    }
    synchronized (upload) {
      if (upload.partCount == 0) {
        // Parts start in order, all but the last of one size: the first one tells the count.
        upload.partCount = partCount(upload.totalBytes, sizeBytes);
        send(spec.requestId(), upload);
      }
    }
  }

  @Override
  public void partUploaded(
      UploadSpec spec, int partNumber, long sizeBytes, long bytesDone, long totalBytes) {
    Upload upload = uploads.get(spec.requestId());
    if (upload == null) {
      return;
    }
    synchronized (upload) {
      upload.totalBytes = totalBytes;
      upload.bytesDone = Math.min(totalBytes, Math.max(upload.bytesDone, bytesDone));
      upload.partsDone++;
      upload.partCount = Math.max(upload.partsDone, Math.max(1, upload.partCount));
      boolean last = upload.bytesDone == upload.totalBytes;
      boolean anotherTenth = tenths(upload) > upload.lastSentTenth;
      if (last || anotherTenth || upload.lastSent == null || intervalPassed(upload.lastSent)) {
        send(spec.requestId(), upload);
      }
    }
  }

  private boolean intervalPassed(Instant lastSent) {
    return !clock.instant().isBefore(lastSent.plus(minInterval));
  }

  /** How many whole tenths of its bytes the upload has stored (10 when done or empty). */
  private static int tenths(Upload upload) {
    return upload.totalBytes == 0 ? 10 : (int) (upload.bytesDone * 10 / upload.totalBytes);
  }

  /** Called holding {@code upload}'s lock. */
  private void send(String requestId, Upload upload) {
    Instant now = clock.instant();
    upload.lastSent = now;
    upload.lastSentTenth = tenths(upload);
    sink.accept(
        new UploadProgress(
            UploadRequest.CURRENT_SCHEMA_VERSION,
            requestId,
            upload.bytesDone,
            upload.totalBytes,
            upload.partsDone,
            upload.partCount,
            now));
  }

  private static int partCount(long totalBytes, long firstPartBytes) {
    if (totalBytes == 0 || firstPartBytes <= 0) {
      return 1;
    }
    return (int) Math.max(1, (totalBytes + firstPartBytes - 1) / firstPartBytes);
  }
}
