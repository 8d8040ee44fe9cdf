package io.uploadstream.client;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  private final TopicReader topic;

  private ResultsReader(TopicReader topic) {
    this.topic = topic;
  }

  /**
   * A reader of results published from now on. Its positions are fixed before this returns, so a
   * caller may open it, then publish requests, and never miss their results.
   *
   * @throws ConfigException if the result topic does not exist
   * @throws KafkaUnreachableException if the cluster does not answer
   */
  public static ResultsReader fromEnd(ClientSettings settings) {
    return open(settings, TopicReader.Start.END);
  }

  /**
   * A reader of every result still on the topic, then of new ones.
   *
   * @throws ConfigException if the result topic does not exist
   * @throws KafkaUnreachableException if the cluster does not answer
   */
  public static ResultsReader fromBeginning(ClientSettings settings) {
    return open(settings, TopicReader.Start.BEGINNING);
  }

  private static ResultsReader open(ClientSettings settings, TopicReader.Start start) {
    return new ResultsReader(
        TopicReader.open(
            settings,
            settings.topics().results(),
            ClientSetting.TOPIC_RESULTS,
            start,
            "upload-stream-results"));
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
    for (ConsumerRecord<byte[], byte[]> record : topic.poll(timeout)) {
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
    return topic.caughtUp();
  }

  /** Closes the consumer; works on an interrupted thread too, and keeps its interrupt flag. */
  @Override
  public void close() {
    topic.close();
  }

  private static UploadResult decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      log.warn("skipping a record without a value at {}", TopicReader.where(record));
      return null;
    }
    try {
      return EventCodec.decodeResult(record.value());
    } catch (IllegalArgumentException e) {
      log.warn(
          "skipping a record that is not an upload result at {}: {}",
          TopicReader.where(record),
          e.getMessage());
      return null;
    }
  }
}
