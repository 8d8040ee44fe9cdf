package io.uploadstream.client;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private final TopicReader topic;

  private ProgressReader(TopicReader topic) {
    this.topic = topic;
  }

  /**
   * A reader of the progress events published from now on to {@code topics.progress}. Its positions
   * are fixed before this returns.
   *
   * @throws ConfigException if no progress topic is set, or it does not exist
   * @throws KafkaUnreachableException if the cluster does not answer
   */
  public static ProgressReader fromEnd(ClientSettings settings) {
    String topic =
        settings
            .topics()
            .progress()
            .orElseThrow(
                () -> new ConfigException(ClientSetting.TOPIC_PROGRESS.key(), "is not set"));
    return new ProgressReader(
        TopicReader.open(
            settings,
            topic,
            ClientSetting.TOPIC_PROGRESS,
            TopicReader.Start.END,
            "upload-stream-progress"));
  }

  /** Progress events that arrived within {@code timeout}, oldest first; never null. */
  public List<UploadProgress> poll(Duration timeout) {
    List<UploadProgress> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : topic.poll(timeout)) {
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
    topic.close();
  }
}
