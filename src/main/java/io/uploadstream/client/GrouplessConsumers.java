package io.uploadstream.client;

import io.uploadstream.config.ConfigException;
import io.uploadstream.config.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What the readers of a whole topic share: they join no consumer group, are assigned every
 * partition and commit nothing, so any number of them see every record.
 */
final class GrouplessConsumers {
  private GrouplessConsumers() {}

  /**
   * Assigns every partition of {@code topic} to {@code consumer} and returns them.
   *
   * @throws ConfigException naming {@code topicSetting} if the topic does not exist
   */
  static List<TopicPartition> assignAll(
      KafkaConsumer<?, ?> consumer, String topic, Setting topicSetting, Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo partition : consumer.partitionsFor(topic, timeout)) {
      partitions.add(new TopicPartition(topic, partition.partition()));
    }
    if (partitions.isEmpty()) {
      throw new ConfigException(
          topicSetting.key(), "no topic '" + topic + "' on the Kafka cluster");
    }
    consumer.assign(partitions);
    return partitions;
  }

  /** Closes {@code consumer}; works on an interrupted thread too, and keeps its interrupt flag. */
  static void close(KafkaConsumer<?, ?> consumer) {
    boolean interrupted = Thread.interrupted();
    try {
      consumer.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
