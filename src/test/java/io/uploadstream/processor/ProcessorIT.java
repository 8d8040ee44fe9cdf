package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor end to end on a real broker and a real S3 server. */
class ProcessorIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void largeSmallAndEmptyFiles_comeBackByteIdentical_underTheDocumentedKeyAndUrl()
      throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 3);
    Path big = randomFile("big.bin", 50 * MIB);
    Path small = randomFile("small.txt", 1234);
    Path empty = randomFile("empty.dat", 0);
    Instant requestedAt = Instant.parse("2025-08-16T16:31:04Z");
    List<UploadRequest> requests = new ArrayList<>();
    for (Path file : List.of(big, small, empty)) {
      requests.add(
          new UploadRequest(
              1,
              "req-" + file.getFileName(),
              file.toString(),
              "tmp",
              null,
              null,
              requestedAt,
              Map.of("origin", "it")));
    }
    pipeline.startProcessor("p1");
    requests.forEach(pipeline::publish);

    Map<String, UploadResult> results = awaitResults(3);

    for (Path file : List.of(big, small, empty)) {
      UploadResult result = results.get("req-" + file.getFileName());
      String key = "tmp/20250816163104-" + file.getFileName();
      assertThat(result.status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(result.key()).isEqualTo(key);
      assertThat(result.bucket()).isEqualTo(pipeline.bucket);
      assertThat(result.cdnUrl())
          .isEqualTo("https://cdn.example.com/" + pipeline.bucket + "/" + key);
      assertThat(result.size()).isEqualTo(Files.size(file));
      assertThat(result.checksum()).isNotNull();
      byte[] stored =
          pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(key)).asByteArray();
      assertThat(stored).isEqualTo(Files.readAllBytes(file));
    }
    assertThat(results.get("req-big.bin").partCount()).isEqualTo(7);
    assertThat(
            pipeline
                .s3()
                .headObject(b -> b.bucket(pipeline.bucket).key("tmp/20250816163104-small.txt"))
                .metadata())
        .containsEntry("origin", "it");
  }

  @Test
  void mixedGoodMissingAndMalformed_200Records_oneResultPerRequest_oneDeadLetterPerBadRecord()
      throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 4);
    pipeline.startProcessor("p1");
    Random random = new Random(42);
    Set<String> good = new HashSet<>();
    Set<String> missing = new HashSet<>();
    int malformed = 0;
    for (int i = 0; i < 200; i++) {
      switch (i % 4) {
        case 0, 1 -> {
          Path file = randomFile("file-" + i + ".bin", random.nextInt(64 * 1024));
          pipeline.publish(UploadRequest.of("good-" + i, file.toString(), "mixed"));
          good.add("good-" + i);
        }
        case 2 -> {
          pipeline.publish(
              UploadRequest.of("missing-" + i, files.resolve("nope-" + i).toString(), "mixed"));
          missing.add("missing-" + i);
        }
        default -> {
          byte[] garbage =
              (i % 8 == 3 ? "{not json" : "{\"requestId\": 42}").getBytes(StandardCharsets.UTF_8);
          pipeline.publishRaw("bad-" + i, garbage);
          malformed++;
        }
      }
    }
    int expectedResults = good.size() + missing.size();
    int expectedLetters = malformed;

    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                pipeline.results().size() >= expectedResults
                    && pipeline.deadLetters().size() >= expectedLetters);

    List<UploadResult> results = pipeline.results();
    assertThat(results).hasSize(expectedResults);
    Map<String, UploadResult> byId =
        results.stream().collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
    good.forEach(id -> assertThat(byId.get(id).status()).isEqualTo(UploadResult.Status.SUCCEEDED));
    missing.forEach(
        id -> assertThat(byId.get(id).error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND));
    List<ConsumerRecord<byte[], byte[]>> letters = pipeline.deadLetters();
    assertThat(letters).hasSize(expectedLetters);
    ConsumerRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(new String(letter.value(), StandardCharsets.UTF_8))
        .isIn("{not json", "{\"requestId\": 42}");
    assertThat(header(letter, "upload-stream.dlq.source.topic")).isEqualTo(pipeline.requests);
    assertThat(header(letter, "upload-stream.dlq.reason")).isIn("INVALID_JSON", "SCHEMA_VIOLATION");
    assertThat(header(letter, "upload-stream.dlq.source.offset")).matches("\\d+");
  }

  @Test
  void twoInstances_splitThePartitions_andTheSurvivorFinishesWhenOneStops() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 6);
    List<Set<?>> assignmentsA = new ArrayList<>();
    List<Set<?>> assignmentsB = new ArrayList<>();
    Processor a = pipeline.startProcessor("a", recordAssignments(assignmentsA));
    Processor b = pipeline.startProcessor("b", recordAssignments(assignmentsB));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                last(assignmentsA) + last(assignmentsB) == 6
                    && last(assignmentsA) > 0
                    && last(assignmentsB) > 0);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      Path file = randomFile("split-" + i + ".bin", 16 * 1024 + i);
      pipeline.publish(UploadRequest.of("split-" + i, file.toString(), "split"));
      ids.add("split-" + i);
      if (i == 40) {
        a.stop(); // mid-run: its in-flight work finishes or is left for b
      }
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                pipeline.results().stream()
                    .map(UploadResult::requestId)
                    .collect(Collectors.toSet())
                    .containsAll(ids));
    assertThat(a.awaitStopped(Duration.ofSeconds(30))).isTrue();
    assertThat(a.failure()).isEmpty();
    assertThat(last(assignmentsB)).isEqualTo(6);
    assertThat(pipeline.results()).extracting(UploadResult::requestId).doesNotHaveDuplicates();
    assertThat(b.isRunning()).isTrue();
  }

  @Test
  void uploadLongerThanMaxPollInterval_doesNotTriggerARebalance() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2);
    try (FaultInjectingProxy slowStore =
        FaultInjectingProxy.start(SharedStack.get().s3().endpoint())) {
      slowStore.rule(
          r ->
              r.isUploadPart()
                  ? FaultInjectingProxy.Action.stall(Duration.ofSeconds(3))
                  : FaultInjectingProxy.Action.forward());
      pipeline
          .set("s3.endpoint", slowStore.endpoint().toString())
          .set("kafka.max.poll.interval.ms", "2000")
          .set("upload.parts-in-flight", "1");
      List<Set<?>> assignments = new ArrayList<>();
      pipeline.startProcessor("slow", recordAssignments(assignments));
      await().atMost(Duration.ofSeconds(60)).until(() -> last(assignments) == 2);
      Path file = randomFile("slow.bin", 20 * MIB);

      pipeline.publish(UploadRequest.of("slow-1", file.toString(), "slow"));
      Map<String, UploadResult> results = awaitResults(1);

      // 3 parts, one at a time, each stalled 3 s: ≥ 9 s, far past max.poll.interval.ms = 2 s
      assertThat(results.get("slow-1").status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(results.get("slow-1").partCount()).isEqualTo(3);
      assertThat(
              Duration.between(
                  results.get("slow-1").startedAt(), results.get("slow-1").completedAt()))
          .isGreaterThan(Duration.ofSeconds(8));
      synchronized (assignments) {
        assertThat(assignments).as("no revocation, no second assignment").hasSize(1);
      }
      assertThat(pipeline.results()).hasSize(1);
    }
  }

  private static ProcessorListener recordAssignments(List<Set<?>> sink) {
    return new ProcessorListener() {
      @Override
      public void assignmentChanged(Set<org.apache.kafka.common.TopicPartition> assigned) {
        synchronized (sink) {
          sink.add(Set.copyOf(assigned));
        }
      }
    };
  }

  private static int last(List<Set<?>> assignments) {
    synchronized (assignments) {
      return assignments.isEmpty() ? 0 : assignments.get(assignments.size() - 1).size();
    }
  }

  private Map<String, UploadResult> awaitResults(int count) {
    await().atMost(Duration.ofSeconds(120)).until(() -> pipeline.results().size() >= count);
    return pipeline.results().stream()
        .collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
  }

  private Path randomFile(String name, long size) throws Exception {
    Path file = files.resolve(name);
    byte[] chunk = new byte[(int) Math.min(size, MIB)];
    Random random = new Random(name.hashCode());
    try (var out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        random.nextBytes(chunk);
        int n = (int) Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        left -= n;
      }
    }
    return file;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
