package io.uploadstream.processor;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Exactly-once delivery: results, dead letters and the consumed offsets they release go in one
 * transaction, so a {@code read_committed} reader sees each request's result once, crash or not.
 * The offsets carry the consumer's group metadata, so a zombie whose partitions moved on is fenced
 * by the group coordinator and cannot commit.
 */
final class TransactionalCommitter implements ResultCommitter {
  private static final String RETRY_NAME = "kafka-transaction";

  private final Producer<byte[], byte[]> producer;
  private final Supplier<ConsumerGroupMetadata> groupMetadata;

  /**
   * Commit and abort may time out while a broker restarts; Kafka lets the same call be repeated (it
   * resumes the pending commit or abort) instead of giving the producer up.
   */
  private final RetryConfig timeoutRetry =
      RetryConfig.custom()
          .maxAttempts(5)
          .waitDuration(Duration.ofMillis(500))
          .retryExceptions(TimeoutException.class)
          .build();

  TransactionalCommitter(
      Producer<byte[], byte[]> producer, Supplier<ConsumerGroupMetadata> groupMetadata) {
    this.producer = producer;
    this.groupMetadata = groupMetadata;
    producer.initTransactions();
  }

  @Override
  public void commit(
      List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets)
      throws CommitRejected {
    if (records.isEmpty() && offsets.isEmpty()) {
      return;
    }
    ConsumerGroupMetadata group = groupMetadata.get();
    if (group.generationId() < 0) {
      // Put out of the group (e.g. stalled past max.poll.interval.ms): without a generation the
      // coordinator cannot fence us, so we must not commit; the next poll rejoins.
      throw new CommitRejected(
          "not a member of group " + group.groupId() + " right now", null, false);
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : records) {
        // Sent within the transaction: commitTransaction fails if any send failed.
        Future<RecordMetadata> unused = producer.send(record);
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, group);
      }
    } catch (KafkaException e) {
      throw rejected(e);
    }
    commit();
  }

  /**
   * Commits the open transaction. A commit that keeps timing out has an unknown outcome and must
   * not be aborted (Kafka forbids it): the instance stops, and its successor — same transactional
   * id — completes or aborts it consistently.
   */
  private void commit() throws CommitRejected {
    try {
      Retry.of(RETRY_NAME, timeoutRetry).executeRunnable(producer::commitTransaction);
    } catch (TimeoutException e) {
      throw new CommitRejected("transaction commit timed out repeatedly: " + e, e, true);
    } catch (KafkaException e) {
      throw rejected(e);
    }
  }

  /** A failed transaction: fatal when this producer cannot go on, else aborted for a retry. */
  private CommitRejected rejected(KafkaException e) throws CommitRejected {
    if (e instanceof ProducerFencedException
        || e instanceof FencedInstanceIdException
        || e instanceof OutOfOrderSequenceException
        || e instanceof AuthorizationException
        || e instanceof UnsupportedVersionException) {
      // Another instance took over this transactional id, or the producer is unusable.
      return new CommitRejected("transactional producer cannot continue: " + e, e, true);
    }
    // E.g. a rebalance moved the generation on (CommitFailedException): abort, retry later.
    abort(e);
    return new CommitRejected("transaction aborted: " + e, e, false);
  }

  private void abort(KafkaException cause) throws CommitRejected {
    try {
      Retry.of(RETRY_NAME, timeoutRetry).executeRunnable(producer::abortTransaction);
    } catch (KafkaException | IllegalStateException e) {
      e.addSuppressed(cause);
      throw new CommitRejected("cannot abort the transaction: " + e, e, true);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
