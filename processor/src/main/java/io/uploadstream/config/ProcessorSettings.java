package io.uploadstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one processor instance runs.
 *
 * @param stop the shutdown and revocation graces, and the waits derived from them
 * @param maxHeldBytes results and dead letters held behind unfinished uploads, at most (about)
 * @param allowDelete whether requests may ask for their file to be deleted after the upload
 * @param lanes whether and how requests for large files are served in a lane of their own
 * @param consumption a consumer group or a share group; with {@link Consumption#SHARE} the delivery
 *     is {@link Delivery#AT_LEAST_ONCE}
 */
public record ProcessorSettings(
    int uploadsInFlight,
    List<Path> allowedRoots,
    long maxFileSizeBytes,
    Delivery delivery,
    StopBudget stop,
    Duration commitInterval,
    Duration storageOutageWait,
    String instanceId,
    long maxHeldBytes,
    boolean allowDelete,
    LaneSettings lanes,
    Consumption consumption) {

  /** The smallest held-bytes budget: room for a few results beside one largest dead letter. */
  public static final long MIN_HELD_BYTES = 1024 * 1024;

  public ProcessorSettings {
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(stop, "stop");
    Objects.requireNonNull(storageOutageWait, "storageOutageWait");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(lanes, "lanes");
    Objects.requireNonNull(consumption, "consumption");
    allowedRoots = List.copyOf(allowedRoots);
    ConfigProblems problems = new ConfigProblems();
    problems.require(
        commitInterval.compareTo(Duration.ofSeconds(10)) <= 0,
        Setting.PROCESSOR_COMMIT_INTERVAL,
        "at most 10s (results wait that long, and transactions must stay short), was "
            + commitInterval);
    problems.require(
        uploadsInFlight >= 1,
        Setting.PROCESSOR_UPLOADS_IN_FLIGHT,
        "must be at least 1, was " + uploadsInFlight);
    problems.require(
        !allowedRoots.isEmpty(),
        Setting.PROCESSOR_ALLOWED_ROOTS,
        "no allowed roots: name the directories files may be uploaded from");
    for (Path root : allowedRoots) {
      problems.require(
          root.isAbsolute(),
          Setting.PROCESSOR_ALLOWED_ROOTS,
          "must be an absolute path, was '" + root + "'");
    }
    problems.require(
        maxHeldBytes >= MIN_HELD_BYTES,
        Setting.PROCESSOR_MAX_HELD_BYTES,
        "must be at least 1MiB, was " + maxHeldBytes);
    problems.require(
        consumption != Consumption.SHARE || delivery == Delivery.AT_LEAST_ONCE,
        Setting.PROCESSOR_DELIVERY,
        "share consumption delivers results at-least-once (a share group cannot acknowledge"
            + " inside a producer transaction); use processor.consumption=group for exactly-once");
    problems.require(
        maxFileSizeBytes >= 0,
        Setting.UPLOAD_MAX_FILE_SIZE,
        "must not be negative, was " + maxFileSizeBytes);
    problems.throwIfAny();
  }

  public Duration shutdownGrace() {
    return stop.shutdownGrace();
  }

  /**
   * Whether large files get a lane of their own: in group consumption only. A share group has no
   * head-of-line blocking to avoid (a long upload holds only its own record), so share consumption
   * serves every request on the request topic.
   */
  public boolean largeFileLane() {
    return consumption == Consumption.GROUP && lanes.enabled();
  }
}
