package io.uploadstream.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
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
 * Aborts multipart uploads nobody will finish: under the managed prefixes, idle for more than the
 * maximum age, and not to a key this instance is working on. They are what a crashed processor
 * leaves when its request is never redelivered, and they are billed until aborted. The bucket's
 * {@code AbortIncompleteMultipartUpload} lifecycle rule is the backstop.
 *
 * <p>Idle is judged by the store's own timestamps, so every instance judges alike: an upload is
 * idle when its newest part was stored ({@code LastModified} in ListParts) more than the maximum
 * age ago, or, with no part, when it was initiated more than the maximum age ago. An upload that
 * stored a part within the maximum age is running somewhere (a resumed upload keeps its old
 * initiation time) and is never aborted, whichever instance runs it. A part or an upload of unknown
 * time counts as recent. Between ListParts and the abort a part may still arrive: only an upload
 * that had already been idle for the maximum age can be caught so.
 *
 * <p>The listing is read page by page and each page cleaned before the next is asked for, so a
 * bucket with millions of incomplete uploads costs one page of memory.
 *
 * <p>{@link #run} is the scheduled form: it logs every failure and returns, so the schedule goes on
 * (a scheduled task that throws is never run again, silently). Only a {@link VirtualMachineError}
 * is rethrown, after it is logged.
 */
public final class MultipartJanitor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(MultipartJanitor.class);

  /**
   * What one sweep did: uploads {@code examined}; of those, {@code active} were initiated more than
   * the maximum age ago but stored a part since (kept), {@code aborted} and {@code failed} (idle,
   * but the store refused the listing of its parts or the abort).
   */
  public record Sweep(int examined, int active, int aborted, int failed) {}

  /** What the janitor made of one upload. */
  private enum Verdict {
    RECENT,
    ACTIVE,
    OWNED,
    GONE,
    ABORTED,
    FAILED
  }

  private final IncompleteUploads uploads;
  private final String bucket;
  private final JanitorSettings settings;
  private final Supplier<Set<String>> ownedKeys;
  private final Clock clock;

  /**
   * @param ownedKeys the keys this instance is working on right now; asked for each idle upload
   *     just before it is aborted, so an upload that started meanwhile is still spared
   */
  public MultipartJanitor(
      S3Client s3,
      String bucket,
      JanitorSettings settings,
      RetrySettings retry,
      Supplier<Set<String>> ownedKeys,
      Clock clock) {
    this(s3, bucket, settings, retry, ownedKeys, clock, IncompleteUploads.MAX_PAGE_SIZE);
  }

  /** {@code pageSize} below S3's 1,000 is for tests of the paging. */
  MultipartJanitor(
      S3Client s3,
      String bucket,
      JanitorSettings settings,
      RetrySettings retry,
      Supplier<Set<String>> ownedKeys,
      Clock clock,
      int pageSize) {
    this.uploads = new IncompleteUploads(s3, new StorageRetry(retry), pageSize);
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
          "janitor: {} incomplete uploads examined, {} still receiving parts, {} aborted,"
              + " {} could not be aborted",
          sweep.examined(),
          sweep.active(),
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
   * Lists the incomplete uploads under the managed prefixes page by page and aborts the idle ones
   * of each page before it reads the next.
   *
   * @throws StorageException when the uploads cannot be listed
   */
  public Sweep sweep() {
    Instant cutoff = clock.instant().minus(settings.maxAge());
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (String prefix : listedPrefixes()) {
      uploads.forEachPage(
          bucket,
          prefix,
          page -> page.forEach(u -> counts.merge(clean(u, cutoff), 1, Integer::sum)));
    }
    return new Sweep(
        counts.values().stream().mapToInt(Integer::intValue).sum(),
        counts.getOrDefault(Verdict.ACTIVE, 0),
        counts.getOrDefault(Verdict.ABORTED, 0),
        counts.getOrDefault(Verdict.FAILED, 0));
  }

  /**
   * Managed prefixes as S3 prefixes, {@code tmp} managing {@code tmp/...}, not {@code tmp2/}; one
   * inside another is dropped, so no upload is listed twice and none need be remembered.
   */
  List<String> listedPrefixes() {
    if (settings.prefixes().isEmpty()) {
      return Collections.singletonList(null); // no prefix: the whole bucket
    }
    List<String> folders = settings.prefixes().stream().map(MultipartJanitor::asFolder).toList();
    return folders.stream()
        .distinct()
        .filter(p -> folders.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
        .toList();
  }

  private static String asFolder(String prefix) {
    String trimmed = prefix.strip().replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? "" : trimmed + "/";
  }

  private Verdict clean(MultipartUpload upload, Instant cutoff) {
    if (upload.initiated() == null || !upload.initiated().isBefore(cutoff)) {
      return Verdict.RECENT; // initiated within the maximum age: not idle, whatever its parts
    }
    LastActivity activity = new LastActivity(upload.initiated(), cutoff);
    try {
      uploads.forEachPartsPage(bucket, upload.key(), upload.uploadId(), activity);
    } catch (StorageException e) {
      if (e.noSuchUpload()) {
        return Verdict.GONE; // completed or aborted meanwhile
      }
      log.warn("janitor could not list the parts of an upload: {}", e.getMessage());
      return Verdict.FAILED;
    }
    if (!activity.idle()) {
      return Verdict.ACTIVE;
    }
    if (ownedKeys.get().contains(upload.key())) {
      return Verdict.OWNED; // this instance is between two attempts at it, or resuming it now
    }
    return abort(upload, activity.newest()) ? Verdict.ABORTED : Verdict.FAILED;
  }

  private boolean abort(MultipartUpload upload, Instant lastActive) {
    Instant now = clock.instant();
    try {
      uploads.abort(bucket, upload.key(), upload.uploadId());
      log.info(
          "janitor aborted multipart upload {} of s3://{}/{}: initiated {} ago, idle for {}",
          upload.uploadId(),
          bucket,
          upload.key(),
          Duration.between(upload.initiated(), now),
          Duration.between(lastActive, now));
      return true;
    } catch (StorageException e) {
      log.warn("janitor could not abort an abandoned upload: {}", e.getMessage());
      return false;
    }
  }
}
