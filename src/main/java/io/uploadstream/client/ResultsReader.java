package io.uploadstream.client;

import io.uploadstream.config.ClientSettings;
import io.uploadstream.config.ConfigException;
import io.uploadstream.config.Setting;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the result topic without joining a consumer group: it is assigned every partition and
 * commits nothing, so any number of readers see every result. Only committed results are read
 * ({@code read_committed}). Records that are not results are skipped with a warning.
 *
 * <p>Not thread-safe: use an instance from one thread. {@link Thread#interrupt() Interrupting} that
 * thread ends a blocked {@link #poll} or {@link #await} with Kafka's {@code InterruptException}.
 */
public final class ResultsReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultsReader.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> endOffsetsAtOpen;

  private ResultsReader(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endOffsetsAtOpen) {
    this.consumer = consumer;
    this.endOffsetsAtOpen = Map.copyOf(endOffsetsAtOpen);
  }

  /**
   * A reader of results published from now on. Its positions are fixed before this returns, so a
   * caller may open it, then publish requests, and never miss their results.
   *
   * @throws ConfigException if the result topic does not exist
   */
  public static ResultsReader fromEnd(ClientSettings settings) {
    return open(settings, Start.END);
  }

  /**
   * A reader of every result still on the topic, then of new ones.
   *
   * @throws ConfigException if the result topic does not exist
   */
  public static ResultsReader fromBeginning(ClientSettings settings) {
    return open(settings, Start.BEGINNING);
  }

  /**
   * A result as read: decoded, and its JSON as the processor wrote it, on one line, with any field
   * or error code this version does not know (the decoded result drops or generalises those).
   */
  public record Received(UploadResult result, String json) {}

  /** Results that arrived within {@code timeout} (empty if none); never null. */
  public List<UploadResult> poll(Duration timeout) {
    return read(timeout, (result, json) -> result);
  }

  /** As {@link #poll}, each result with its JSON as written. */
  public List<Received> receive(Duration timeout) {
    return read(timeout, (result, json) -> new Received(result, EventCodec.oneLine(json)));
  }

  /** The results that arrived, each as {@code as} makes it from the result and its record value. */
  private <T> List<T> read(Duration timeout, BiFunction<UploadResult, byte[], T> as) {
    List<T> read = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      UploadResult result = decode(record);
      if (result != null) {
        read.add(as.apply(result, record.value()));
      }
    }
    return read;
  }

  /**
   * Waits up to {@code timeout} for the results of {@code requestIds}, calling {@code onEach} (on
   * this thread) for each as it arrives. Results of other requests are passed over; a repeated
   * result of a request (at-least-once delivery) is reported once.
   *
   * @return the results that arrived, by request id, in order of arrival: ids missing from it had
   *     no result within the timeout
   */
  public Map<String, UploadResult> await(
      Set<String> requestIds, Duration timeout, Consumer<UploadResult> onEach) {
    return await(requestIds, timeout, onEach, timeout, () -> {});
  }

  /**
   * As {@link #await(Set, Duration, Consumer)}, but polls at most {@code pollSlice} at a time and
   * runs {@code betweenPolls} (on this thread) after each poll, so the caller can do other work
   * while it waits, such as showing progress.
   */
  public Map<String, UploadResult> await(
      Set<String> requestIds,
      Duration timeout,
      Consumer<UploadResult> onEach,
      Duration pollSlice,
      Runnable betweenPolls) {
    Objects.requireNonNull(onEach, "onEach");
    Objects.requireNonNull(betweenPolls, "betweenPolls");
    Set<String> wanted = new HashSet<>(requestIds);
    Map<String, UploadResult> arrived = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    long remaining = timeout.toNanos();
    while (arrived.size() < wanted.size() && remaining > 0) {
      for (UploadResult result : poll(Duration.ofNanos(Math.min(remaining, pollSlice.toNanos())))) {
        if (wanted.contains(result.requestId()) && !arrived.containsKey(result.requestId())) {
          arrived.put(result.requestId(), result);
          onEach.accept(result);
        }
      }
      betweenPolls.run();
      remaining = deadline - System.nanoTime();
    }
    return arrived;
  }

  /**
   * Whether this reader has read up to the end of every partition as it was when it was opened
   * (always true for a reader {@link #fromEnd}): a one-off listing stops here.
   */
  public boolean caughtUp() {
    return endOffsetsAtOpen.entrySet().stream()
        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }

  /** Closes the consumer; works on an interrupted thread too, and keeps its interrupt flag. */
  @Override
  public void close() {
    GrouplessConsumers.close(consumer);
  }

  private enum Start {
    BEGINNING,
    END
  }

  private static ResultsReader open(ClientSettings settings, Start start) {
    Map<String, Object> defaults =
        Map.of(
            ConsumerConfig.CLIENT_ID_CONFIG,
            "upload-stream-results",
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
      return positioned(consumer, settings.topics().results(), start);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** Assigns every partition and seeks to explicit offsets, so no position is resolved lazily. */
  private static ResultsReader positioned(
      KafkaConsumer<byte[], byte[]> consumer, String topic, Start start) {
    List<TopicPartition> partitions =
        GrouplessConsumers.assignAll(consumer, topic, Setting.TOPIC_RESULTS, METADATA_TIMEOUT);
    // read_committed: the end offsets are the last stable offsets.
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> starts =
        start == Start.END ? ends : consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    starts.forEach(consumer::seek);
    return new ResultsReader(consumer, ends);
  }

  private static UploadResult decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      log.warn("skipping a record without a value at {}", where(record));
      return null;
    }
    try {
      return EventCodec.decodeResult(record.value());
    } catch (IllegalArgumentException e) {
      log.warn(
          "skipping a record that is not an upload result at {}: {}",
          where(record),
          e.getMessage());
      return null;
    }
  }

  private static String where(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
