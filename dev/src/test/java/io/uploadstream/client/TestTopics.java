package io.uploadstream.client;

import io.uploadstream.dev.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Unique topics per test on the test class's broker, and plain clients to inspect them. */
public final class TestTopics {
  /** More than one partition, so readers must cover every partition. */
  public static final int PARTITIONS = 3;

  private TestTopics() {}

  /** Fresh request, result and dead-letter topics with unique names. */
  public static TopicSettings create(EmbeddedKafka kafka) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    TopicSettings topics =
        new TopicSettings(
            "requests-" + suffix, "results-" + suffix, "requests-dlq-" + suffix, Optional.empty());
    kafka.createTopics(
        List.of(
            new NewTopic(topics.requests(), PARTITIONS, (short) 1),
            new NewTopic(topics.results(), PARTITIONS, (short) 1),
            new NewTopic(topics.deadLetters(), 1, (short) 1)));
    return topics;
  }

  public static ClientSettings settings(EmbeddedKafka kafka, TopicSettings topics) {
    return new ClientSettings(
        new KafkaSettings(Map.of("bootstrap.servers", kafka.bootstrapServers())), topics);
  }

  /** Writes one record as it is, e.g. a value that is not a result. */
  public static void publishRaw(EmbeddedKafka kafka, String topic, byte[] key, byte[] value)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** Every record on {@code topic} right now. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafka kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
