package io.uploadstream.ops;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks on a schedule that the bucket answers a HeadBucket, so readiness probes cost nothing and
 * cannot pile requests onto a struggling store. Until the first check ends the bucket counts as
 * unreachable.
 */
final class BucketProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BucketProbe.class);

  private final S3Client s3;
  private final String bucket;
  private volatile String problem = "bucket not checked yet";
  private volatile ScheduledFuture<?> schedule;

  BucketProbe(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Checks now, then every {@code interval} after the previous check ended. */
  void start(ScheduledExecutorService scheduler, Duration interval) {
    schedule =
        scheduler.scheduleWithFixedDelay(
            this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the bucket is not usable, as of the last check; empty when it answered. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  void check() {
    String found;
    try {
      s3.headBucket(request -> request.bucket(bucket));
      found = null;
    } catch (SdkException | IllegalStateException e) {
      // IllegalStateException: the client was closed under a check racing shutdown.
      found = "bucket '" + bucket + "' unreachable: " + firstLine(e.getMessage());
    } catch (RuntimeException e) {
      // Anything else must not end the schedule: readiness would freeze at its last answer.
      found = "bucket '" + bucket + "' not checked: " + e;
    }
    if (found != null && problem == null) {
      log.warn("{}", found);
    } else if (found == null && problem != null) {
      log.info("bucket '{}' reachable", bucket);
    }
    problem = found;
  }

  @Override
  public void close() {
    ScheduledFuture<?> current = schedule;
    if (current != null) {
      current.cancel(false);
    }
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
