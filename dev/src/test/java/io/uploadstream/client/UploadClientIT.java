package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UploadRequests} and {@link ResultsReader} against a real broker. */
class UploadClientIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  private TopicSettings topics;
  private ClientSettings settings;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void createTopics() {
    topics = TestTopics.create(kafka);
    settings = TestTopics.settings(kafka, topics);
  }

  @Test
  void publish_writesTheRequestByteForByte_keyedByRequestId_withCloudEventsHeaders()
      throws Exception {
    UploadRequest request =
        FileRequest.of(Path.of("/srv/in/report.pdf"), "reports/2025")
            .contentType("application/pdf")
            .metadata("uploaded-by", "alice")
            .build();

    try (UploadRequests requests = UploadRequests.connect(settings)) {
      requests.publish(request).get();
    }

    List<ConsumerRecord<byte[], byte[]>> records = TestTopics.readAll(kafka, topics.requests());
    assertThat(records).hasSize(1);
    ConsumerRecord<byte[], byte[]> record = records.get(0);
    assertThat(new String(record.key(), UTF_8)).isEqualTo(request.requestId());
    assertThat(record.value()).isEqualTo(EventCodec.encode(request));
    assertThat(headers(record))
        .containsEntry("content-type", "application/json")
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", request.requestId())
        .containsEntry("ce_source", "urn:upload-stream:client")
        .containsEntry("ce_type", "io.uploadstream.upload.request.v1")
        .containsEntry("ce_time", request.requestedAt().toString());
  }

  @Test
  void fromEnd_openedBeforePublishing_seesTheResultOfEveryRequest() throws Exception {
    List<UploadResult> seen = new ArrayList<>();
    try (TestResponder responder =
            TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed);
        ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      List<UploadRequest> sent = publish(requests, 5);

      Map<String, UploadResult> arrived = results.await(ids(sent), WAIT, seen::add);

      assertThat(arrived).containsOnlyKeys(ids(sent));
      assertThat(arrived.values()).allMatch(UploadResult::succeeded);
      assertThat(seen).containsExactlyElementsOf(arrived.values());
      assertThat(responder.requests()).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  @Test
  void fromBeginning_seesResultsPublishedBeforeItOpened_andFromEndDoesNot() throws Exception {
    UploadRequest request;
    try (TestResponder responder =
            TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed);
        ResultsReader first = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      request = publish(requests, 1).get(0);
      assertThat(first.await(Set.of(request.requestId()), WAIT, r -> {})).hasSize(1);
      assertThat(responder.requests()).containsExactly(request);
    }

    try (ResultsReader fromBeginning = ResultsReader.fromBeginning(settings);
        ResultsReader fromEnd = ResultsReader.fromEnd(settings)) {
      assertThat(fromBeginning.await(Set.of(request.requestId()), WAIT, r -> {}))
          .containsOnlyKeys(request.requestId());
      assertThat(fromEnd.caughtUp()).isTrue();
      assertThat(fromEnd.poll(Duration.ofMillis(500))).isEmpty();
    }
  }

  @Test
  void caughtUp_becomesTrueOnceEveryTransactionalResultPresentAtOpenIsRead() throws Exception {
    List<UploadRequest> sent;
    try (TestResponder responder =
            TestResponder.start(kafka.bootstrapServers(), topics, TestResponder::succeed);
        ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      sent = publish(requests, 4);
      assertThat(results.await(ids(sent), WAIT, r -> {})).hasSize(4);
      assertThat(responder.requests()).hasSize(4);
    }

    try (ResultsReader results = ResultsReader.fromBeginning(settings)) {
      assertThat(results.caughtUp()).isFalse();
      List<UploadResult> read = new ArrayList<>();
      await()
          .atMost(WAIT)
          .pollInSameThread()
          .until(
              () -> {
                read.addAll(results.poll(Duration.ofMillis(200)));
                return results.caughtUp();
              });
      assertThat(read)
          .extracting(UploadResult::requestId)
          .containsExactlyInAnyOrderElementsOf(ids(sent));
    }
  }

  @Test
  void poll_skipsRecordsThatAreNotResults_andStillReadsTheNextOne() throws Exception {
    UploadRequest request = UploadRequests.forFile(Path.of("/srv/in/a.txt"), "tmp");
    UploadResult good = TestResponder.succeed(request).orElseThrow();
    byte[] key = request.requestId().getBytes(UTF_8);

    try (ResultsReader results = ResultsReader.fromEnd(settings)) {
      // Same key, so the same partition: the bad records come first.
      TestTopics.publishRaw(kafka, topics.results(), key, "not json".getBytes(UTF_8));
      TestTopics.publishRaw(
          kafka, topics.results(), key, "{\"status\":\"SUCCEEDED\"}".getBytes(UTF_8));
      TestTopics.publishRaw(kafka, topics.results(), key, null);
      TestTopics.publishRaw(kafka, topics.results(), key, EventCodec.encode(good));

      assertThat(results.await(Set.of(request.requestId()), WAIT, r -> {}))
          .containsExactly(Map.entry(request.requestId(), good));
    }
  }

  @Test
  void await_reportsARepeatedResultOfARequestOnce() throws Exception {
    try (ResultsReader results = ResultsReader.fromEnd(settings)) {
      UploadRequest request = UploadRequests.forFile(Path.of("/in/twice.txt"), "tmp");
      UploadRequest after = UploadRequests.forFile(Path.of("/in/after.txt"), "tmp");
      UploadResult first = TestResponder.succeed(request).orElseThrow();
      UploadResult repeat =
          new UploadResult(
              first.schemaVersion(),
              first.requestId(),
              first.filePath(),
              first.prefix(),
              first.status(),
              first.bucket(),
              first.key(),
              first.cdnUrl(),
              first.size(),
              first.partCount(),
              first.etag(),
              first.contentType(),
              first.checksum(),
              first.startedAt().plusSeconds(30),
              first.completedAt().plusSeconds(31),
              first.error());
      UploadResult last = TestResponder.succeed(after).orElseThrow();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.<String, Object>of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        for (UploadResult result : List.of(first, repeat, last)) { // one partition: in this order
          producer
              .send(
                  new ProducerRecord<>(
                      topics.results(),
                      0,
                      result.requestId().getBytes(UTF_8),
                      EventCodec.encode(result)))
              .get();
        }
      }
      List<UploadResult> reported = new ArrayList<>();

      Map<String, UploadResult> arrived =
          results.await(
              Set.of(request.requestId(), after.requestId()),
              Duration.ofSeconds(30),
              reported::add);

      assertThat(arrived)
          .containsExactly(
              Map.entry(request.requestId(), first), Map.entry(after.requestId(), last));
      assertThat(reported).containsExactly(first, last);
    }
  }

  @Test
  void await_returnsWithoutTheRequestsThatHadNoResultInTime() throws Exception {
    try (TestResponder responder =
            TestResponder.start(kafka.bootstrapServers(), topics, request -> Optional.empty());
        ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      List<UploadRequest> sent = publish(requests, 1);

      Instant start = Instant.now();
      Map<String, UploadResult> arrived = results.await(ids(sent), Duration.ofSeconds(1), r -> {});

      assertThat(arrived).isEmpty();
      assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
      await().atMost(WAIT).until(() -> responder.requests().size() == 1);
    }
  }

  @Test
  void open_failsNamingTheTopic_whenTheResultTopicDoesNotExist() {
    TopicSettings missing =
        new TopicSettings(
            topics.requests(), "no-such-results", topics.deadLetters(), Optional.empty());

    assertThatThrownBy(() -> ResultsReader.fromEnd(TestTopics.settings(kafka, missing)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("topics.results: no topic 'no-such-results' on the Kafka cluster");
  }

  private static List<UploadRequest> publish(UploadRequests requests, int count) throws Exception {
    List<UploadRequest> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UploadRequest request = UploadRequests.forFile(Path.of("/srv/in/file-" + i + ".txt"), "tmp");
      requests.publish(request).get();
      sent.add(request);
    }
    return sent;
  }

  private static Set<String> ids(List<UploadRequest> requests) {
    return requests.stream().map(UploadRequest::requestId).collect(Collectors.toSet());
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    return StreamSupport.stream(record.headers().spliterator(), false)
        .collect(Collectors.toMap(Header::key, h -> new String(h.value(), UTF_8)));
  }
}
