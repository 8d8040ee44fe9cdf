package io.uploadstream.config;

import io.uploadstream.client.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * How long in-flight uploads get when the processor must let go of them, and every wait derived
 * from those two settings, in one place: no timeout here is kept consistent by a comment.
 *
 * <p>An upload still running when its grace ends is cancelled, and its multipart upload is kept
 * (not aborted) for the next owner of the request to resume. So past a grace nothing waits on the
 * store: the waits below only let cancelled parts end tidily and the last commit go out.
 *
 * @param shutdownGrace on SIGTERM, how long in-flight uploads get to finish
 * @param revocationGrace when a rebalance moves partitions away, how long their uploads get to
 *     finish; the group's rebalance waits for it, so it stays short
 */
public record StopBudget(Duration shutdownGrace, Duration revocationGrace) {

  /**
   * The longest revocation grace: the group waits for it, and Kafka puts a member out that spends
   * longer than {@code max.poll.interval.ms} (5 min by default) in one poll.
   */
  public static final Duration MAX_REVOCATION_GRACE = Duration.ofMinutes(2);

  /** After a grace, how long cancelled uploads get to stop their parts before the loop goes on. */
  public static final Duration CANCELLED_STOP_WAIT = Duration.ofSeconds(5);

  /** The last commit and closing the Kafka clients, after the uploads stopped. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

  /**
   * After the loop stopped, how long source files its last commit released get to be deleted; a
   * file not deleted by then is kept (and reported kept by a redelivery).
   */
  public static final Duration SOURCE_DELETE_WAIT = Duration.ofSeconds(5);

  /** Then how long buffered progress events get to be sent; the rest are dropped (advisory). */
  public static final Duration PROGRESS_FLUSH_WAIT = Duration.ofSeconds(2);

  public StopBudget {
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(revocationGrace, "revocationGrace");
    if (shutdownGrace.isNegative()) {
      throw new ConfigException(
          Setting.PROCESSOR_SHUTDOWN_GRACE.key(), "must not be negative, was " + shutdownGrace);
    }
    if (revocationGrace.isNegative() || revocationGrace.compareTo(MAX_REVOCATION_GRACE) > 0) {
      throw new ConfigException(
          Setting.PROCESSOR_REVOCATION_GRACE.key(),
          "between 0s and "
              + MAX_REVOCATION_GRACE.toSeconds()
              + "s (the group's rebalance waits for it), was "
              + revocationGrace);
    }
  }

  /**
   * The longest a stop takes, from SIGTERM to exit: the grace, the cancelled uploads' stop, the
   * last commit, the source deletes it released, the last progress events. An orchestrator's kill
   * grace ({@code terminationGracePeriodSeconds}, compose's {@code stop_grace_period}) must exceed
   * it.
   */
  public Duration timeToStop() {
    return shutdownGrace
        .plus(CANCELLED_STOP_WAIT)
        .plus(CLOSE_WAIT)
        .plus(SOURCE_DELETE_WAIT)
        .plus(PROGRESS_FLUSH_WAIT);
  }
}
