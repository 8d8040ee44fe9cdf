package io.uploadstream.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How long one result transaction takes on this broker, as the processor's loop does it (begin, 16
 * result records over 12 partitions, the consumed offsets, commit): the loop waits for it. Like the
 * processor, the probe starts a transaction no sooner than {@code processor.commit-interval} (100
 * ms) after the last one ended; back to back, about every other transaction waits ~110 ms more for
 * the markers of the one before (the broker answers CONCURRENT_TRANSACTIONS, the client retries
 * after {@code retry.backoff.ms}), which is not what the processor sees.
 */
final class TransactionProbe {
  private static final int RECORDS = 16;
  private static final long INTERVAL_MILLIS = 100; // processor.commit-interval's default

  private TransactionProbe() {}

  private static KafkaConsumer<byte[], byte[]> groupMember(Stack stack) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "bench-transaction-probe"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Milliseconds per transaction, {@code rounds} times (after a few unmeasured ones). */
  static List<Double> measure(Stack stack, String topic, int partitions, int rounds)
      throws InterruptedException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "bench-transaction-probe",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4");
    List<Double> millis = new ArrayList<>();
    byte[] value = new byte[600]; // about the size of a result event
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> member = groupMember(stack)) {
      producer.initTransactions();
      // The group of a consumer that never joins: the offsets carry no generation, as before it
      // was assigned anything (the processor's carry its generation; the cost is the same).
      ConsumerGroupMetadata group = member.groupMetadata();
      for (int round = -2; round < rounds; round++) {
        long start = System.nanoTime();
        producer.beginTransaction();
        for (int i = 0; i < RECORDS; i++) {
          // Sent within the transaction: commitTransaction fails if any send failed.
          Future<RecordMetadata> unused =
              producer.send(new ProducerRecord<>(topic, i % partitions, null, value));
        }
        producer.sendOffsetsToTransaction(
            Map.of(new TopicPartition(topic, round & 1), new OffsetAndMetadata(round + 3L)), group);
        producer.commitTransaction();
        if (round >= 0) {
          millis.add((System.nanoTime() - start) / 1e6);
        }
        Thread.sleep(INTERVAL_MILLIS);
      }
      producer.close(Duration.ofSeconds(10));
    }
    return millis;
  }
}
