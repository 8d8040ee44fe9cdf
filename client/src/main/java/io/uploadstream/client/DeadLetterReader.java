package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.uploadstream.contract.DeadLetterHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads the dead-letter topic ({@code topics.dead-letters}) like {@link ResultsReader} reads
 * results: no consumer group, every partition, nothing committed, only committed records. Not
 * thread-safe.
 */
public final class DeadLetterReader implements AutoCloseable {
  private final TopicReader topic;

  private DeadLetterReader(TopicReader topic) {
    this.topic = topic;
  }

  /**
   * A reader of the dead letters written from now on.
   *
   * @throws ConfigException if the dead-letter topic does not exist
   * @throws KafkaUnreachableException if the cluster does not answer
   */
  public static DeadLetterReader fromEnd(ClientSettings settings) {
    return open(settings, TopicReader.Start.END);
  }

  /** A reader of every dead letter still on the topic, then of new ones. */
  public static DeadLetterReader fromBeginning(ClientSettings settings) {
    return open(settings, TopicReader.Start.BEGINNING);
  }

  private static DeadLetterReader open(ClientSettings settings, TopicReader.Start start) {
    return new DeadLetterReader(
        TopicReader.open(
            settings,
            settings.topics().deadLetters(),
            ClientSetting.TOPIC_DEAD_LETTERS,
            start,
            "upload-stream-dead-letters"));
  }

  /** Dead letters that arrived within {@code timeout}; never null. */
  public List<DeadLetter> poll(Duration timeout) {
    return topic.poll(timeout).stream().map(DeadLetterReader::deadLetter).toList();
  }

  /** Whether every dead letter on the topic when this reader was opened has been read. */
  public boolean caughtUp() {
    return topic.caughtUp();
  }

  @Override
  public void close() {
    topic.close();
  }

  private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
    return new DeadLetter(
        header(record, DeadLetterHeaders.REASON, Function.identity()),
        header(record, DeadLetterHeaders.MESSAGE, Function.identity()),
        header(record, DeadLetterHeaders.SOURCE_TOPIC, Function.identity()),
        header(record, DeadLetterHeaders.SOURCE_PARTITION, Integer::valueOf),
        header(record, DeadLetterHeaders.SOURCE_OFFSET, Long::valueOf),
        header(record, DeadLetterHeaders.TRUNCATED, Boolean::valueOf).orElse(false),
        record.key(),
        record.value());
  }

  /** The last value of header {@code name}, converted; empty if absent or not convertible. */
  private static <T> Optional<T> header(
      ConsumerRecord<?, ?> record, String name, Function<String, T> converter) {
    Header header = record.headers().lastHeader(name);
    if (header == null || header.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(converter.apply(new String(header.value(), UTF_8)));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a number header that is not a number: written by someone else
    }
  }
}
