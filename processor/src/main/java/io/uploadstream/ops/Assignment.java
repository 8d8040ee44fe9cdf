package io.uploadstream.ops;

import io.uploadstream.processor.ProcessorListener;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether this instance has joined its consumer group: true from the first completed rebalance on,
 * whatever it was given. An instance that got no partitions (more instances than partitions) is a
 * healthy standby, so it counts as joined; readiness must not stall rollouts on it.
 */
final class Assignment implements ProcessorListener {
  private volatile boolean joined;
  private volatile int partitions;

  @Override
  public void assignmentChanged(Set<TopicPartition> assigned) {
    partitions = assigned.size();
    joined = true;
  }

  boolean joined() {
    return joined;
  }

  int partitions() {
    return partitions;
  }
}
