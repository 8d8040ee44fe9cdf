package io.uploadstream.client;

import io.uploadstream.config.ClientSettings;
import io.uploadstream.config.ConfigException;
import io.uploadstream.config.Setting;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads progress events published from now on, like {@link ResultsReader#fromEnd}: assigned every
 * partition of the progress topic, no consumer group, nothing committed. Progress is best-effort,
 * so records that are not progress events are skipped quietly.
 *
 * <p>Not thread-safe: use an instance from one thread.
 */
public final class ProgressReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressReader.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;

  private ProgressReader(KafkaConsumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
  }

  /**
   * A reader of the progress events published from now on to {@code topics.progress}. Its positions
   * are fixed before this returns.
   *
   * @throws ConfigException if no progress topic is set, or it does not exist
   */
  public static ProgressReader fromEnd(ClientSettings settings) {
    String topic =
        settings
            .topics()
            .progress()
            .orElseThrow(() -> new ConfigException(Setting.TOPIC_PROGRESS.key(), "is not set"));
    Map<String, Object> defaults =
        Map.of(
            ConsumerConfig.CLIENT_ID_CONFIG,
            "upload-stream-progress",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "latest");
    Map<String, Object> required =
        Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings.kafka().clientConfig(defaults, required));
    try {
      List<TopicPartition> partitions =
          GrouplessConsumers.assignAll(consumer, topic, Setting.TOPIC_PROGRESS, METADATA_TIMEOUT);
      consumer.endOffsets(partitions, METADATA_TIMEOUT).forEach(consumer::seek);
      return new ProgressReader(consumer);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** Progress events that arrived within {@code timeout}, oldest first; never null. */
  public List<UploadProgress> poll(Duration timeout) {
    List<UploadProgress> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      if (record.value() == null) {
        continue;
      }
      try {
        events.add(EventCodec.decodeProgress(record.value()));
      } catch (IllegalArgumentException e) {
        log.debug("skipping a record that is not a progress event: {}", e.getMessage());
      }
    }
    return events;
  }

  /** Closes the consumer; works on an interrupted thread too, and keeps its interrupt flag. */
  @Override
  public void close() {
    GrouplessConsumers.close(consumer);
  }
}
