package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.UploadListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A share-group member's answers and acknowledgements, on Kafka's mock share consumer and producer:
 * ACCEPT only after the result is acked, RELEASE when publishing fails, REJECT only after a dead
 * letter.
 */
class ShareMemberTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path root;
  private final Broker consumer = new Broker();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ShareStop stop = new ShareStop(Clock.systemUTC(), Duration.ofSeconds(1));
  private Thread running;

  @AfterEach
  void stopMember() throws InterruptedException {
    stop.request();
    if (running != null) {
      running.join(WAIT.toMillis());
    }
    workers.shutdownNow();
  }

  @Test
  void aRequest_isAccepted_onlyOnceItsResultIsAcked() throws Exception {
    MockProducer<byte[], byte[]> producer = producer(false);
    consumer.addRecord(request("r1", 1));
    start(producer);

    await().atMost(WAIT).until(() -> producer.history().size() == 1);
    assertThat(consumer.acks).as("not before the broker acked the result").isEmpty();
    producer.completeNext();

    await().atMost(WAIT).until(() -> consumer.acks.contains(AcknowledgeType.ACCEPT));
    UploadResult result = EventCodec.decodeResult(producer.history().get(0).value());
    assertThat(result.requestId()).isEqualTo("r1");
    assertThat(result.status()).isEqualTo(UploadResult.Status.FAILED); // no such file
  }

  @Test
  void aResultThatCannotBePublished_isReleased_forAnotherTry() throws Exception {
    MockProducer<byte[], byte[]> producer = producer(false);
    consumer.addRecord(request("r2", 1));
    start(producer);

    await().atMost(WAIT).until(() -> producer.history().size() == 1);
    producer.errorNext(new KafkaException("broker gone"));

    await().atMost(WAIT).until(() -> !consumer.acks.isEmpty());
    assertThat(consumer.acks).containsExactly(AcknowledgeType.RELEASE);
  }

  @Test
  void aRequestOnItsLastAllowedDelivery_isDeadLetteredAndAnswered_thenRejected() throws Exception {
    MockProducer<byte[], byte[]> producer = producer(true);
    consumer.addRecord(request("r3", 3));
    start(producer);

    await().atMost(WAIT).until(() -> !consumer.acks.isEmpty());
    assertThat(consumer.acks).containsExactly(AcknowledgeType.REJECT);
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent).extracting(ProducerRecord::topic).containsExactly("dlq", "results");
    UploadResult result = EventCodec.decodeResult(sent.get(1).value());
    assertThat(result.error().code())
        .isEqualTo(io.uploadstream.contract.ErrorCode.DELIVERY_LIMIT_REACHED);
  }

  @Test
  void aRecordThatIsNotARequest_isDeadLettered_thenRejected() throws Exception {
    MockProducer<byte[], byte[]> producer = producer(true);
    consumer.addRecord(record("not json".getBytes(StandardCharsets.UTF_8), 1));
    start(producer);

    await().atMost(WAIT).until(() -> !consumer.acks.isEmpty());
    assertThat(consumer.acks).containsExactly(AcknowledgeType.REJECT);
    assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("dlq");
  }

  private void start(MockProducer<byte[], byte[]> producer) {
    Clock clock = Clock.systemUTC();
    UploadJob job =
        new UploadJob(
            new PathGuard(List.of(root), 1 << 20),
            (spec, opener) -> {
              throw new AssertionError("must not upload");
            },
            new StorageOutageWait(Duration.ZERO, clock, key -> () -> {}),
            "uploads",
            new CdnUrls("https://cdn.example.com", false),
            clock,
            ProcessorListener.NONE);
    ShareAnswers answers =
        new ShareAnswers(
            new RequestDecoder(),
            job,
            new ResultRecords("results", "dlq", "large", "urn:test", 1 << 20),
            3);
    ShareMember member =
        new ShareMember(
            consumer,
            List.of("requests"),
            answers,
            workers,
            producer,
            new UploadActivity(clock, UploadListener.NONE),
            stop,
            new ShareTiming(Duration.ofSeconds(30), Duration.ofMinutes(5)),
            ProcessorListener.NONE,
            clock);
    running = new Thread(member, "share-member-test");
    running.start();
  }

  private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private ConsumerRecord<byte[], byte[]> request(String id, int deliveryCount) {
    UploadRequest request = UploadRequest.of(id, root.resolve(id + ".bin").toString(), "tmp");
    return record(EventCodec.encode(request), deliveryCount);
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value, int deliveryCount) {
    return new ConsumerRecord<>(
        "requests",
        0,
        deliveryCount * 10L,
        0L,
        TimestampType.CREATE_TIME,
        0,
        value.length,
        null,
        value,
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) deliveryCount));
  }

  /** Hands out the records added; records every acknowledgement; the broker takes them all. */
  private static final class Broker extends MockShareConsumer<byte[], byte[]> {
    final List<AcknowledgeType> acks = new CopyOnWriteArrayList<>();

    Broker() {
      subscribe(List.of("requests")); // the mock takes records of subscribed topics only
    }

    @Override
    public synchronized void acknowledge(
        ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
      acks.add(type);
    }

    @Override
    public synchronized Map<TopicIdPartition, Optional<KafkaException>> commitSync(
        Duration timeout) {
      return Map.of();
    }
  }
}
