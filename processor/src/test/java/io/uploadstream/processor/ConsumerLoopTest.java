package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.config.StopBudget;
import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.UploadOutcome;
import io.uploadstream.upload.UploadSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop over Kafka's mock consumer and producer (exactly-once, a real transactional committer),
 * with a fake uploader whose uploads finish when the test says so.
 */
class ConsumerLoopTest {
  private static final String TOPIC = "requests";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  private static final StopBudget BUDGET =
      new StopBudget(Duration.ofSeconds(5), Duration.ofSeconds(5));
  private static final long MIB = 1024 * 1024;

  @TempDir Path root;
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final ThreadPoolExecutor workers = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
  private final Uploads uploads = new Uploads();
  private final List<ConsumerRecord<byte[], byte[]>> topic = new ArrayList<>();
  private ConsumerLoop loop;

  /** Uploads that wait for their gate (if the test set one) and note interrupts. */
  private static final class Uploads implements FileUploader {
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    final Set<String> uploaded = ConcurrentHashMap.newKeySet();
    final Set<String> buggy = ConcurrentHashMap.newKeySet();

    CountDownLatch gate(String requestId) {
      return gates.computeIfAbsent(requestId, id -> new CountDownLatch(1));
    }

    @Override
    public UploadOutcome upload(UploadSpec spec, FileOpener opener) throws InterruptedException {
      if (buggy.contains(spec.requestId())) {
        throw new IllegalStateException("a bug in the uploader");
      }
      CountDownLatch gate = gates.get(spec.requestId());
      try {
        if (gate != null) {
          gate.await();
        }
      } catch (InterruptedException e) {
        interrupted.add(spec.requestId()); // a real uploader keeps its multipart upload here
        throw e;
      }
      uploaded.add(spec.requestId());
      Instant now = Instant.now();
      return new UploadOutcome.UploadSucceeded(
          spec.bucket(), spec.key(), 1, 0, "etag", "text/plain", null, false, now, now);
    }
  }

  @AfterEach
  void stop() {
    uploads.gates.values().forEach(CountDownLatch::countDown);
    workers.shutdownNow();
  }

  @Test
  void heldBytesBudgetSpent_rewindsToTheRecordThatDidNotFit_andPausesUntilThereIsRoom()
      throws Exception {
    start(new StopBudget(Duration.ofSeconds(5), Duration.ofSeconds(5)), MIB);
    uploads.gate("slow");
    request("slow");
    for (int i = 0; i < 5; i++) {
      junk(300 * 1024);
    }

    loop.turn();

    assertThat(loop.heldBytes()).isBetween(900 * 1024L, MIB);
    assertThat(consumer.position(P0)).as("rewound to the first that did not fit").isEqualTo(4);
    assertThat(consumer.paused()).containsExactly(P0);
    for (int i = 0; i < 5; i++) {
      loop.turn();
    }
    assertThat(consumer.paused()).as("no room while the upload runs").containsExactly(P0);
    assertThat(producer.history()).isEmpty();

    uploads.gate("slow").countDown();
    turnUntil(() -> !consumer.paused().contains(P0));
    refetchFromPosition();
    turnUntil(() -> committedOffset() == 6);

    assertThat(producer.history()).hasSize(6); // one result, five dead letters, each once
    assertThat(deadLetterOffsets()).containsExactly("1", "2", "3", "4", "5");
    assertThat(loop.heldBytes()).isZero();
  }

  @Test
  void finishedOutOfOrder_commitsOnlyPastContiguousWork() throws Exception {
    start(new StopBudget(Duration.ofSeconds(5), Duration.ofSeconds(5)), 32 * MIB);
    uploads.gate("first");
    request("first");
    request("second");
    junk(10);

    turnUntil(this::secondIsDone);
    for (int i = 0; i < 5; i++) {
      loop.turn();
    }
    assertThat(producer.history()).as("all wait behind the first").isEmpty();

    uploads.gate("first").countDown();
    turnUntil(() -> committedOffset() == 3);

    assertThat(producer.consumerGroupOffsetsHistory())
        .as("one transaction: all three with offset 3")
        .hasSize(1);
    assertThat(producer.history()).hasSize(3);
  }

  @Test
  void revokedMidUpload_cancelsItAfterTheGrace_commitsOnlyTheWorkBeforeIt() throws Exception {
    start(new StopBudget(Duration.ofSeconds(5), Duration.ofMillis(200)), 32 * MIB);
    junk(10);
    uploads.gate("long");
    request("long");
    junk(10);
    turnUntil(() -> loop.heldBytes() > 0 && uploadStarted("long"));

    Instant start = Instant.now();
    consumer.rebalance(List.of());

    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
    turnUntil(() -> uploads.interrupted.contains("long"));
    assertThat(deadLetterOffsets()).as("the dead letter before the upload").containsExactly("0");
    assertThat(producer.consumerGroupOffsetsHistory())
        .singleElement()
        .satisfies(
            commit -> assertThat(commit.values().iterator().next()).containsValue(offset(1)));
    assertThat(loop.heldBytes()).isZero();
  }

  @Test
  void fileAtTheThreshold_isHandedToTheLargeLane_inTheTransactionOfItsOffset_withItsRecordTime()
      throws Exception {
    start(BUDGET, 32 * MIB, Duration.ZERO, OptionalLong.of(100));
    Path big = Files.write(root.resolve("big.bin"), new byte[100]);
    UploadRequest request =
        new UploadRequest(1, "big", big.toString(), "p", null, null, null, Map.of("k", "v"));
    Instant recordTime = Instant.parse("2025-11-24T12:00:00Z");
    add(0, EventCodec.encode(request), recordTime);

    turnUntil(() -> committedOffset() == 1);

    assertThat(uploads.uploaded).as("not uploaded in the small lane").isEmpty();
    assertThat(producer.commitCount()).as("record and offset in one transaction").isEqualTo(1);
    ProducerRecord<byte[], byte[]> handOff = producer.history().get(0);
    assertThat(producer.history()).hasSize(1);
    assertThat(handOff.topic()).isEqualTo("large");
    assertThat(new String(handOff.key(), StandardCharsets.UTF_8)).isEqualTo("big");
    UploadRequest handed = decoded(handOff.value());
    assertThat(handed.requestedAt()).as("the original record's timestamp").isEqualTo(recordTime);
    assertThat(handed).usingRecursiveComparison().ignoringFields("requestedAt").isEqualTo(request);
  }

  @Test
  void handOff_keepsAnExplicitRequestedAt_andAFileBelowTheThresholdIsUploadedHere()
      throws Exception {
    start(BUDGET, 32 * MIB, Duration.ZERO, OptionalLong.of(100));
    Path big = Files.write(root.resolve("big.bin"), new byte[150]);
    Path small = Files.write(root.resolve("small.bin"), new byte[99]);
    Instant requestedAt = Instant.parse("2025-08-16T16:31:04Z");
    add(
        0,
        EventCodec.encode(
            new UploadRequest(1, "big", big.toString(), "p", null, null, requestedAt, Map.of())),
        Instant.parse("2025-11-24T12:00:00Z"));
    add(0, EventCodec.encode(UploadRequest.of("small", small.toString(), "p")), Instant.now());

    turnUntil(() -> committedOffset() == 2);

    assertThat(uploads.uploaded).containsExactly("small");
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactlyInAnyOrder("large", "results");
    ProducerRecord<byte[], byte[]> handOff =
        producer.history().stream().filter(r -> r.topic().equals("large")).findFirst().get();
    assertThat(decoded(handOff.value()).requestedAt()).isEqualTo(requestedAt);
  }

  @Test
  void withoutAThreshold_aLargeFileIsUploadedInItsOwnLane() throws Exception {
    start(BUDGET, 32 * MIB, Duration.ZERO, OptionalLong.empty());
    Path big = Files.write(root.resolve("big.bin"), new byte[1000]);
    add(0, EventCodec.encode(UploadRequest.of("big", big.toString(), "p")), Instant.now());

    turnUntil(() -> committedOffset() == 1);

    assertThat(uploads.uploaded).containsExactly("big");
    assertThat(producer.history()).extracting(ProducerRecord::topic).containsExactly("results");
  }

  @Test
  void adaptiveCommit_aloneAResultIsCommittedAtOnce_besideARunningUploadItWaitsToBeBatched()
      throws Exception {
    start(BUDGET, 32 * MIB, Duration.ofSeconds(30), OptionalLong.empty());
    request("first");
    turnUntil(() -> committedOffset() == 1); // the commit interval is 30 s: nothing else pending

    uploads.gate("slow");
    request("slow"); // P0, offset 1
    requestOn(1, "quick");
    turnUntil(() -> uploads.uploaded.contains("quick"));
    for (int i = 0; i < 20; i++) {
      loop.turn();
    }
    assertThat(producer.commitCount())
        .as("one of two slots busy: the result waits for half the interval")
        .isEqualTo(1);

    uploads.gate("slow").countDown();
    turnUntil(() -> committedOffset() == 2);

    assertThat(producer.commitCount()).as("both in one transaction, at once").isEqualTo(2);
    assertThat(producer.history()).hasSize(3);
  }

  @Test
  void dispatcherFull_pausesThePartition_keepsPolling_andResumesWhenUploadsEnd() throws Exception {
    start(BUDGET, 32 * MIB);
    for (int i = 0; i < 5; i++) { // 2 workers: 2 running, 2 queued, the fifth waits in the loop
      uploads.gate("r" + i);
      request("r" + i);
    }

    loop.turn();

    assertThat(consumer.paused()).as("full: paused").contains(P0);
    for (int i = 0; i < 5; i++) {
      loop.turn(); // polls while paused: the group sees a live member, no record is fetched
    }
    assertThat(consumer.paused()).contains(P0);
    assertThat(producer.history()).isEmpty();

    uploads.gates.values().forEach(CountDownLatch::countDown);
    turnUntil(() -> committedOffset() == 5);

    assertThat(consumer.paused()).as("room again: resumed").isEmpty();
    assertThat(producer.history()).hasSize(5);
    assertThat(loop.heldBytes()).isZero();
  }

  @Test
  void anUploadThatThrows_isAnsweredInternalError_andItsOffsetCommitted() throws Exception {
    start(BUDGET, 32 * MIB);
    uploads.buggy.add("buggy");
    request("buggy");
    request("fine");

    turnUntil(() -> committedOffset() == 2);

    assertThat(producer.history())
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .anySatisfy(result -> assertThat(result).contains("buggy", "INTERNAL_ERROR"))
        .anySatisfy(result -> assertThat(result).contains("fine", "SUCCEEDED"));
  }

  @Test
  void stop_withAnUploadInFlight_letsItFinishWithinTheGrace_commitsIt_andEnds() throws Exception {
    start(BUDGET, 32 * MIB);
    uploads.gate("inflight");
    request("inflight");
    turnUntil(() -> uploadStarted("inflight"));
    Thread runner = new Thread(loop, "loop-under-test");
    loop.stop();
    runner.start();

    uploads.gate("inflight").countDown();

    assertThat(loop.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(loop.failure()).isNull();
    assertThat(committedOffset()).isEqualTo(1);
    assertThat(uploads.interrupted).isEmpty();
  }

  private void start(StopBudget stop, long maxHeldBytes) {
    start(stop, maxHeldBytes, Duration.ZERO, OptionalLong.empty());
  }

  private void start(
      StopBudget stop, long maxHeldBytes, Duration commitInterval, OptionalLong handOffAtBytes) {
    Clock clock = Clock.systemUTC();
    UploadJob job =
        new UploadJob(
            new PathGuard(List.of(root), Long.MAX_VALUE),
            uploads,
            new StorageOutageWait(Duration.ZERO, clock, key -> () -> {}),
            "bucket",
            new CdnUrls("https://cdn.example.com", false),
            clock,
            ProcessorListener.NONE,
            RequestRules.DEFAULTS,
            StoredObjects.NONE,
            null,
            handOffAtBytes);
    loop =
        new ConsumerLoop(
            consumer,
            TOPIC,
            new RequestDecoder(),
            job,
            new ResultRecords("results", "dlq", "large", "urn:test", (int) MIB),
            new Dispatcher(2, workers),
            new TransactionalCommitter(producer, consumer::groupMetadata),
            ProcessorListener.NONE,
            clock,
            new LoopSettings(
                Lane.SMALL, stop, commitInterval, 2, true, maxHeldBytes, BatchLimit.DEFAULT));
    loop.subscribe();
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.rebalance(List.of(P0, P1));
  }

  private static UploadRequest decoded(byte[] value) {
    return ((DecodeResult.Decoded) new RequestDecoder().decode(value)).request();
  }

  private void requestOn(int partition, String id) throws Exception {
    Path file = Files.writeString(root.resolve(id + ".txt"), id);
    add(partition, EventCodec.encode(UploadRequest.of(id, file.toString(), "p")), Instant.now());
  }

  private void request(String id) throws Exception {
    Path file = Files.writeString(root.resolve(id + ".txt"), id);
    add(EventCodec.encode(UploadRequest.of(id, file.toString(), "p")));
  }

  private void junk(int size) {
    byte[] value = new byte[size];
    Arrays.fill(value, (byte) 'x');
    add(value);
  }

  private void add(byte[] value) {
    long offset = topic.stream().filter(r -> r.partition() == 0).count();
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 0, offset, null, value);
    topic.add(record);
    consumer.addRecord(record);
  }

  private void add(int partition, byte[] value, Instant timestamp) {
    long offset = topic.stream().filter(r -> r.partition() == partition).count();
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            TOPIC,
            partition,
            offset,
            timestamp.toEpochMilli(),
            TimestampType.CREATE_TIME,
            -1,
            value.length,
            null,
            value,
            new RecordHeaders(),
            Optional.empty());
    topic.add(record);
    consumer.addRecord(record);
  }

  /** What the broker does after a seek: the records from the position on are fetched again. */
  private void refetchFromPosition() {
    long position = consumer.position(P0);
    topic.stream()
        .filter(r -> r.partition() == 0 && r.offset() >= position)
        .forEach(consumer::addRecord);
  }

  private void turnUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      loop.turn();
    }
  }

  private boolean uploadStarted(String id) {
    return uploads.gates.containsKey(id) && workersBusy();
  }

  private boolean workersBusy() {
    return workers.getActiveCount() > 0;
  }

  private boolean secondIsDone() {
    return workers.getCompletedTaskCount() >= 1;
  }

  private long committedOffset() {
    return producer.consumerGroupOffsetsHistory().stream()
        .flatMap(commit -> commit.values().stream())
        .map(offsets -> offsets.get(P0))
        .filter(o -> o != null)
        .mapToLong(OffsetAndMetadata::offset)
        .max()
        .orElse(-1);
  }

  private List<String> deadLetterOffsets() {
    return producer.history().stream()
        .filter(r -> r.topic().equals("dlq"))
        .map(ConsumerLoopTest::sourceOffset)
        .toList();
  }

  private static String sourceOffset(ProducerRecord<byte[], byte[]> letter) {
    return new String(
        letter.headers().lastHeader(ResultRecords.DLQ_SOURCE_OFFSET).value(),
        StandardCharsets.UTF_8);
  }

  private static OffsetAndMetadata offset(long offset) {
    return new OffsetAndMetadata(offset);
  }
}
