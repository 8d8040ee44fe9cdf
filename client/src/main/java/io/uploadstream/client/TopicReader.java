package io.uploadstream.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the readers of a whole topic share: they join no consumer group, are assigned every
 * partition at an explicit start and commit nothing, so any number of them see every record. Only
 * committed records are read ({@code read_committed}): results and dead letters are written in
 * transactions. Not thread-safe; interrupting the reading thread ends a blocked poll with Kafka's
 * {@code InterruptException}.
 */
final class TopicReader implements AutoCloseable {
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  /** Where reading starts. */
  enum Start {
    BEGINNING,
    END
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> endOffsetsAtOpen;

  private TopicReader(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsetsAtOpen) {
    this.consumer = consumer;
    this.endOffsetsAtOpen = Map.copyOf(endOffsetsAtOpen);
  }

  /**
   * A reader of {@code topic} (named by {@code topicSetting}) positioned before this returns, so a
   * caller may open it, then publish, and never miss what follows.
   *
   * @throws ConfigException naming {@code topicSetting} if the topic does not exist
   * @throws KafkaUnreachableException if the cluster does not answer
   */
  static TopicReader open(
      ClientSettings settings,
      String topic,
      ClientSetting topicSetting,
      Start start,
      String clientId) {
    Map<String, Object> defaults =
        Map.of(
            ConsumerConfig.CLIENT_ID_CONFIG,
            clientId,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            start == Start.BEGINNING ? "earliest" : "latest");
    Map<String, Object> required =
        Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings.kafka().clientConfig(defaults, required));
    try {
      return positioned(consumer, topic, topicSetting, start);
    } catch (TimeoutException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw ClusterCheck.timedOut(settings, METADATA_TIMEOUT, e);
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** Assigns every partition and seeks to explicit offsets, so no position is resolved lazily. */
  private static TopicReader positioned(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      ClientSetting topicSetting,
      Start start) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo partition : consumer.partitionsFor(topic, METADATA_TIMEOUT)) {
      partitions.add(new TopicPartition(topic, partition.partition()));
    }
    if (partitions.isEmpty()) {
      throw new ConfigException(
          topicSetting.key(), "no topic '" + topic + "' on the Kafka cluster");
    }
    consumer.assign(partitions);
    // read_committed: the end offsets are the last stable offsets.
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> starts =
        start == Start.END ? ends : consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    starts.forEach(consumer::seek);
    return new TopicReader(consumer, ends);
  }

  /** The records that arrived within {@code timeout}, oldest first per partition. */
  List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    consumer.poll(timeout).forEach(records::add);
    return records;
  }

  /**
   * Whether this reader has read up to the end of every partition as it was when it was opened
   * (always true for a reader that started at the end): a one-off listing stops here.
   */
  boolean caughtUp() {
    return endOffsetsAtOpen.entrySet().stream()
        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }

  /** Closes the consumer; works on an interrupted thread too, and keeps its interrupt flag. */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    try {
      consumer.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static String where(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
