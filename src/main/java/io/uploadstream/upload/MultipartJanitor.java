package io.uploadstream.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts multipart uploads nobody will finish: under the managed prefixes, initiated more than the
 * maximum age ago, and not to a key this instance is uploading right now. They are what a crashed
 * processor leaves when its request is never redelivered, and they are billed until aborted. The
 * bucket's {@code AbortIncompleteMultipartUpload} lifecycle rule is the backstop.
 *
 * <p>{@link #run} is the scheduled form: it logs every failure and returns, so the schedule goes on
 * (a scheduled task that throws is never run again, silently). Only a {@link VirtualMachineError}
 * is rethrown, after it is logged.
 */
public final class MultipartJanitor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(MultipartJanitor.class);

  /** What one sweep did. */
  public record Sweep(int examined, int aborted, int failed) {}

  private final IncompleteUploads uploads;
  private final String bucket;
  private final JanitorSettings settings;
  private final Supplier<Set<String>> ownedKeys;
  private final Clock clock;

  /**
   * @param ownedKeys the keys this instance is uploading to right now; asked for each candidate
   *     just before it is aborted, so an upload that started meanwhile is still spared
   */
  public MultipartJanitor(
      S3Client s3,
      String bucket,
      JanitorSettings settings,
      RetrySettings retry,
      Supplier<Set<String>> ownedKeys,
      Clock clock) {
    this.uploads = new IncompleteUploads(s3, new StorageRetry(retry));
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ownedKeys = Objects.requireNonNull(ownedKeys, "ownedKeys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void run() {
    try {
      Sweep sweep = sweep();
      log.info(
          "janitor: {} incomplete uploads examined, {} aborted, {} could not be aborted",
          sweep.examined(),
          sweep.aborted(),
          sweep.failed());
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        log.debug("janitor sweep of bucket {} stopped: shutting down", bucket);
        return;
      }
      log.warn("janitor sweep of bucket {} failed; next try in {}", bucket, settings.interval(), e);
    } catch (VirtualMachineError e) {
      // Out of memory, a stack overflow or a broken JVM: nothing the next sweep could fix, and
      // swallowing it would hide a dying process. Logged here because a scheduled executor keeps
      // what its task throws to itself; rethrown so the schedule stops instead of limping on.
      log.error("janitor sweep of bucket {} failed; the janitor stops", bucket, e);
      throw e;
    } catch (Throwable e) { // e.g. a LinkageError: any throw would cancel the schedule for good
      log.error(
          "janitor sweep of bucket {} failed; next try in {}", bucket, settings.interval(), e);
    }
  }

  /**
   * Lists the incomplete uploads under the managed prefixes and aborts the abandoned ones.
   *
   * @throws StorageException when the uploads cannot be listed
   */
  public Sweep sweep() {
    Instant cutoff = clock.instant().minus(settings.maxAge());
    Map<String, MultipartUpload> found = new LinkedHashMap<>(); // prefixes may overlap
    for (String prefix : listedPrefixes()) {
      uploads.under(bucket, prefix).forEach(u -> found.putIfAbsent(u.uploadId(), u));
    }
    int aborted = 0;
    int failed = 0;
    for (MultipartUpload upload : found.values()) {
      if (!abandoned(upload, cutoff)) {
        continue;
      }
      if (abort(upload)) {
        aborted++;
      } else {
        failed++;
      }
    }
    return new Sweep(found.size(), aborted, failed);
  }

  /** Managed prefixes as S3 prefixes: {@code tmp} manages {@code tmp/...}, not {@code tmp2/}. */
  private List<String> listedPrefixes() {
    if (settings.prefixes().isEmpty()) {
      return Collections.singletonList(null); // no prefix: the whole bucket
    }
    return settings.prefixes().stream().map(MultipartJanitor::asFolder).toList();
  }

  private static String asFolder(String prefix) {
    String trimmed = prefix.strip().replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? "" : trimmed + "/";
  }

  private boolean abandoned(MultipartUpload upload, Instant cutoff) {
    if (upload.initiated() == null || !upload.initiated().isBefore(cutoff)) {
      return false; // young, or of unknown age: it may still be running somewhere
    }
    return !ownedKeys.get().contains(upload.key());
  }

  private boolean abort(MultipartUpload upload) {
    Duration age = Duration.between(upload.initiated(), clock.instant());
    try {
      uploads.abort(bucket, upload.key(), upload.uploadId());
      log.info(
          "janitor aborted multipart upload {} of s3://{}/{}, initiated {} ago",
          upload.uploadId(),
          bucket,
          upload.key(),
          age);
      return true;
    } catch (StorageException e) {
      log.warn("janitor could not abort an abandoned upload: {}", e.getMessage());
      return false;
    }
  }
}
