package io.uploadstream.processor;

import io.uploadstream.config.Delivery;
import io.uploadstream.config.Settings;
import io.uploadstream.ops.Operations;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The processor's Kafka clients: the request consumer and the result producer with the committer
 * for the configured delivery. Our defaults sit under the user's {@code kafka.*} properties; what
 * the processor depends on (manual commits, idempotence, byte serdes) sits above them.
 */
final class KafkaClients {
  private KafkaClients() {}

  static Consumer<byte[], byte[]> consumer(Settings settings) {
    Map<String, Object> config =
        settings
            .kafka()
            .clientConfig(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    settings.kafka().groupId(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "upload-stream-" + settings.processor().instanceId(),
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName()),
                Map.of(
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    return new KafkaConsumer<>(config);
  }

  static ResultCommitter committer(
      Settings settings, Consumer<byte[], byte[]> consumer, Operations ops) {
    Map<String, Object> required =
        new HashMap<>(
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    Map<String, Object> defaults =
        Map.of(
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4",
            ProducerConfig.CLIENT_ID_CONFIG,
            "upload-stream-" + settings.processor().instanceId(),
            // A transaction is opened and committed within one publish; a crashed instance's open
            // one expires fast.
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            30_000,
            // Bounds each blocking call (metadata, commit) so a publish that retries a few
            // timed-out commits stays well inside max.poll.interval.ms.
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            20_000);
    if (settings.processor().delivery() == Delivery.EXACTLY_ONCE) {
      required.put(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          "upload-stream-" + settings.kafka().groupId() + "-" + settings.processor().instanceId());
      Producer<byte[], byte[]> producer =
          new KafkaProducer<>(settings.kafka().clientConfig(defaults, required));
      ops.monitor(producer);
      try {
        return new TransactionalCommitter(producer, consumer::groupMetadata);
      } catch (RuntimeException e) {
        producer.close(Duration.ZERO); // initTransactions failed: refused id, no coordinator
        throw e;
      }
    }
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(settings.kafka().clientConfig(defaults, required));
    ops.monitor(producer);
    return new AcknowledgedCommitter(producer, consumer);
  }

  /** The producer's record size limit: the user's {@code kafka.max.request.size} or Kafka's. */
  static int maxRequestSize(Settings settings) {
    String configured =
        settings.kafka().clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return configured == null ? 1_048_576 : Integer.parseInt(configured.trim());
  }
}
