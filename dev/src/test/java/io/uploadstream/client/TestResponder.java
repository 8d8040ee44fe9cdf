package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Checksum;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Stands in for the processor: a thread with a real consumer on the request topic that answers each
 * request it reads with the result {@code answer} gives (none when empty), each in its own Kafka
 * transaction as an exactly-once processor would. A failure in its thread is rethrown by {@link
 * #close()}, so it fails the test.
 */
public final class TestResponder implements AutoCloseable {
  private static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final TopicSettings topics;
  private final Function<UploadRequest, Optional<UploadResult>> answer;
  private final List<UploadRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  private TestResponder(
      String bootstrapServers,
      TopicSettings topics,
      Function<UploadRequest, Optional<UploadResult>> answer) {
    this.topics = topics;
    this.answer = answer;
    this.consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "test-responder-" + UUID.randomUUID()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.thread = new Thread(this::run, "test-responder");
  }

  /** Starts answering every request published to {@code topics.requests()} from now on. */
  public static TestResponder start(
      String bootstrapServers,
      TopicSettings topics,
      Function<UploadRequest, Optional<UploadResult>> answer) {
    TestResponder responder = new TestResponder(bootstrapServers, topics, answer);
    responder.positionAtEnd();
    responder.thread.start();
    return responder;
  }

  /** The requests read so far, in order. */
  public List<UploadRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the test responder", e);
    }
    Throwable thrown = failure.get();
    if (thrown != null) {
      throw new AssertionError("the test responder failed", thrown);
    }
  }

  /** A SUCCEEDED result with the key and URL the processor would give {@code request}. */
  public static Optional<UploadResult> succeed(UploadRequest request) {
    String key = key(request);
    Instant now = Instant.now();
    return Optional.of(
        new UploadResult(
            1,
            request.requestId(),
            request.filePath(),
            request.prefix(),
            Status.SUCCEEDED,
            "uploads",
            key,
            "https://cdn.test/uploads/" + key,
            42L,
            0,
            "\"etag\"",
            "text/plain",
            new Checksum("CRC32C", "AAAAAA=="),
            now,
            now,
            null));
  }

  /** A FAILED result with {@code code}. */
  public static Optional<UploadResult> fail(UploadRequest request, ErrorCode code) {
    return Optional.of(
        new UploadResult(
            1,
            request.requestId(),
            request.filePath(),
            request.prefix(),
            Status.FAILED,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Instant.now(),
            new UploadError(code, "no file at " + request.filePath(), false)));
  }

  /** The object key, as DESIGN.md defines it: {prefix}/{yyyyMMddHHmmss}-{fileName}. */
  public static String key(UploadRequest request) {
    String fileName =
        request.fileName() != null
            ? request.fileName()
            : request.filePath().substring(request.filePath().lastIndexOf('/') + 1);
    return request.prefix() + "/" + KEY_TIME.format(request.requestedAt()) + "-" + fileName;
  }

  /** Called before the thread starts, which then owns the consumer. */
  private void positionAtEnd() {
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(topics.requests())
        .forEach(p -> partitions.add(new TopicPartition(topics.requests(), p.partition())));
    consumer.assign(partitions);
    consumer.endOffsets(partitions).forEach(consumer::seek);
  }

  private void run() {
    try (consumer;
        producer) {
      producer.initTransactions();
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          respond(record);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        failure.set(e);
      }
    } catch (RuntimeException | Error e) {
      failure.set(e);
    }
  }

  private void respond(ConsumerRecord<byte[], byte[]> record) {
    if (!(new RequestDecoder().decode(record.value()) instanceof DecodeResult.Decoded decoded)) {
      throw new AssertionError("not a valid request: " + new String(record.value(), UTF_8));
    }
    UploadRequest request = decoded.request();
    requests.add(request);
    answer
        .apply(request)
        .ifPresent(
            result -> {
              producer.beginTransaction();
              Future<RecordMetadata> unused =
                  producer.send(
                      new ProducerRecord<>(
                          topics.results(),
                          request.requestId().getBytes(UTF_8),
                          EventCodec.encode(result)));
              producer.commitTransaction();
            });
  }
}
