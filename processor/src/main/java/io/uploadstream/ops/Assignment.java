package io.uploadstream.ops;

import io.uploadstream.processor.Lane;
import io.uploadstream.processor.ProcessorListener;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether this instance has joined its consumer groups (with size lanes, one per lane): true from
 * the first completed rebalance of each on, whatever it was given. An instance that got no
 * partitions (more instances than partitions) is a healthy standby, so it counts as joined;
 * readiness must not stall rollouts on it.
 */
final class Assignment implements ProcessorListener {
  private final boolean lanes;
  private volatile boolean joined;
  private volatile boolean largeJoined;
  private volatile int partitions;
  private volatile int largePartitions;

  /** {@code lanes}: the large-file lane has a group of its own to join too. */
  Assignment(boolean lanes) {
    this.lanes = lanes;
  }

  @Override
  public void assignmentChanged(Lane lane, Set<TopicPartition> assigned) {
    if (lane == Lane.LARGE) {
      largePartitions = assigned.size();
      largeJoined = true;
    } else {
      partitions = assigned.size();
      joined = true;
    }
  }

  boolean joined() {
    return joined && (largeJoined || !lanes);
  }

  /** Partitions of the request topic held. */
  int partitions() {
    return partitions;
  }

  /** Whether there is a large-file lane. */
  boolean lanes() {
    return lanes;
  }

  /** Partitions of the large-request topic held. */
  int largePartitions() {
    return largePartitions;
  }
}
