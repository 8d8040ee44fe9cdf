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
 * one.
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
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    try {
      records.forEach(record -> acks.add(producer.send(record)));
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
    } catch (ExecutionException | KafkaException e) {
      throw new CommitRejected("results not acknowledged or offsets not committed: " + e, e, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommitRejected("interrupted while publishing results", e, false);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
