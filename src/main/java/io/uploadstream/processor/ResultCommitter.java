package io.uploadstream.processor;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Publishes a batch of result and dead-letter records and commits the consumed offsets they release
 * — in one Kafka transaction ({@link TransactionalCommitter}) or acknowledged first, then committed
 * ({@link AcknowledgedCommitter}). Called only from the loop thread.
 */
interface ResultCommitter extends AutoCloseable {

  /**
   * Publishes {@code records} and commits {@code offsets}. On {@link CommitRejected} nothing of the
   * batch counts as committed (the records may or may not be visible to read_uncommitted readers)
   * and the caller must try again or give the partitions up.
   */
  void commit(
      List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets)
      throws CommitRejected;

  @Override
  void close();

  /** The batch was not committed; {@link #fatal()} means this instance must stop (fenced). */
  final class CommitRejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean fatal;

    CommitRejected(String message, Throwable cause, boolean fatal) {
      super(message, cause);
      this.fatal = fatal;
    }

    boolean fatal() {
      return fatal;
    }
  }
}
