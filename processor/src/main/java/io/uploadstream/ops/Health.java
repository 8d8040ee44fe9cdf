package io.uploadstream.ops;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness of one processor. Live: its consumer loop runs. Ready: live, joined to the
 * consumer group, and the bucket answered the last scheduled check. Reads only volatile state, so
 * probes are cheap and never touch Kafka or S3.
 */
final class Health {
  /** One probe's answer; {@code reason} is shown to whoever probes. */
  record Status(boolean up, String reason) {
    static Status up(String reason) {
      return new Status(true, reason);
    }

    static Status down(String reason) {
      return new Status(false, reason);
    }
  }

  private final BooleanSupplier loopRunning;
  private final Assignment assignment;
  private final BucketProbe bucket;

  Health(BooleanSupplier loopRunning, Assignment assignment, BucketProbe bucket) {
    this.loopRunning = loopRunning;
    this.assignment = assignment;
    this.bucket = bucket;
  }

  Status live() {
    return loopRunning.getAsBoolean()
        ? Status.up("processor loop running")
        : Status.down("processor loop stopped");
  }

  Status ready() {
    if (!loopRunning.getAsBoolean()) {
      return Status.down("processor loop stopped");
    }
    if (!assignment.joined()) {
      return Status.down(
          "not joined the consumer group" + (assignment.lanes() ? "s" : "") + " yet");
    }
    Optional<String> problem = bucket.problem();
    if (problem.isPresent()) {
      return Status.down(problem.get());
    }
    if (assignment.lanes()) {
      return Status.up(
          "joined the consumer groups ("
              + assignment.partitions()
              + " partitions assigned, "
              + assignment.largePartitions()
              + " of the large-request topic), bucket reachable");
    }
    return Status.up(
        "joined the consumer group ("
            + assignment.partitions()
            + " partitions assigned), bucket reachable");
  }
}
