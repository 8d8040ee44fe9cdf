package io.uploadstream.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * At-least-once delivery: offsets are committed only after the broker acknowledged every record of
 * the batch (idempotent producer, acks=all). A crash between the two repeats a result, never loses
 * one. A failure that leaves records acknowledged (the offset commit failed, or some sends did)
 * names them, so the caller never sends them again: only a crash repeats a result.
 */
final class AcknowledgedCommitter implements ResultCommitter {
  private final Producer<byte[], byte[]> producer;
  private final Consumer<?, ?> consumer;

  AcknowledgedCommitter(Producer<byte[], byte[]> producer, Consumer<?, ?> consumer) {
    this.producer = producer;
    this.consumer = consumer;
  }

  @Override
  public void commit(
      List<ProducerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets)
      throws CommitRejected {
    send(records);
    try {
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
    } catch (KafkaException e) {
      throw new CommitRejected("results acknowledged, offsets not committed: " + e, e, records);
    }
  }

  /** Sends the records and waits for every acknowledgement, or throws naming those that came. */
  private void send(List<ProducerRecord<byte[], byte[]>> records) throws CommitRejected {
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    Exception failure = null;
    try {
      records.forEach(record -> acks.add(producer.send(record)));
      producer.flush();
    } catch (KafkaException e) { // the records sent before it may still be acknowledged
      failure = e;
    }
    List<ProducerRecord<byte[], byte[]>> acknowledged = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get();
        acknowledged.add(records.get(i));
      } catch (ExecutionException e) {
        failure = failure == null ? e : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommitRejected("interrupted while publishing results", e, acknowledged);
      }
    }
    if (failure != null) {
      throw new CommitRejected(
          (records.size() - acknowledged.size())
              + " of "
              + records.size()
              + " results not acknowledged: "
              + (failure instanceof ExecutionException ? failure.getCause() : failure),
          failure,
          acknowledged);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
