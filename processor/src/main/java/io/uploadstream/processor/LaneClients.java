package io.uploadstream.processor;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The live clients of one lane, built by the composition root: its consumer (not subscribed yet),
 * the committer publishing its results, and its worker threads ({@link Lane#uploadSlots} of them).
 * The lane's loop owns them from here on and closes them when it ends.
 */
public record LaneClients(
    Lane lane,
    Consumer<byte[], byte[]> consumer,
    ResultCommitter committer,
    ExecutorService workers) {
  public LaneClients {
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(committer, "committer");
    Objects.requireNonNull(workers, "workers");
  }
}
