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
public interface ResultCommitter extends AutoCloseable {

  /**
   * Publishes {@code records} and commits {@code offsets}. On {@link CommitRejected} the offsets
   * are not committed and, but for the records it names {@linkplain CommitRejected#acknowledged()
   * acknowledged}, nothing of the batch counts as published (the records may or may not be visible
   * to read_uncommitted readers); the caller must try again or give the partitions up.
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
    private final transient List<ProducerRecord<byte[], byte[]>> acknowledged;

    CommitRejected(String message, Throwable cause, boolean fatal) {
      this(message, cause, fatal, List.of());
    }

    /**
     * Not fatal: the broker acknowledged {@code acknowledged}, but the offsets were not committed.
     */
    CommitRejected(
        String message, Throwable cause, List<ProducerRecord<byte[], byte[]>> acknowledged) {
      this(message, cause, false, acknowledged);
    }

    private CommitRejected(
        String message,
        Throwable cause,
        boolean fatal,
        List<ProducerRecord<byte[], byte[]>> acknowledged) {
      super(message, cause);
      this.fatal = fatal;
      this.acknowledged = List.copyOf(acknowledged);
    }

    boolean fatal() {
      return fatal;
    }

    /**
     * Records of the batch that are on their topic for good (at-least-once: the broker acknowledged
     * them): they must never be sent again. Empty for a transaction, which is aborted whole.
     */
    List<ProducerRecord<byte[], byte[]>> acknowledged() {
      return acknowledged;
    }
  }
}
