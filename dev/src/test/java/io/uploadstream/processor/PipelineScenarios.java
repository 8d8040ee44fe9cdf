package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.PipelineFixture;
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

/**
 * The processor's core scenarios end to end, on whatever Kafka and S3 server the subclass provides:
 * the embedded ones ({@link ProcessorIT}) or containers ({@link ProcessorContainersIT}).
 */
abstract class PipelineScenarios {
  static final long MIB = 1024 * 1024;

  @TempDir Path files;
  PipelineFixture pipeline;

  /** A fresh pipeline (own topics, group, bucket) whose processors may read under {@code files}. */
  abstract PipelineFixture newPipeline(Path files, int partitions);

  @AfterEach
  void closePipeline() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void largeSmallAndEmptyFiles_comeBackByteIdentical_underTheDocumentedKeyAndUrl()
      throws Exception {
    pipeline = newPipeline(files, 3);
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
    pipeline = newPipeline(files, 4);
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
        .atMost(Duration.ofMinutes(2))
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

  /**
   * {@code afterUpload=delete}: the file goes once its result is committed; the request delivered
   * again after that answers SUCCEEDED from its stored object, not FILE_NOT_FOUND.
   */
  @Test
  void deleteAfterUpload_deletesTheFileOnceCommitted_andARedeliveryFindsTheObject()
      throws Exception {
    pipeline = newPipeline(files, 1).set("processor.allow-delete", "true");
    Path file = randomFile("temporary.bin", 3000);
    byte[] bytes = Files.readAllBytes(file);
    UploadRequest request =
        new UploadRequest(
            1,
            "req-delete",
            file.toString(),
            "tmp",
            null,
            null,
            Instant.parse("2025-08-16T16:31:04Z"),
            Map.of(),
            null,
            null,
            null,
            Map.of(),
            io.uploadstream.contract.AfterUpload.DELETE);
    pipeline.startProcessor("p1");

    pipeline.publish(request);
    await().atMost(Duration.ofMinutes(2)).until(() -> !Files.exists(file));
    pipeline.publish(request);
    await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() >= 2);

    List<UploadResult> results = pipeline.results();
    assertThat(results)
        .extracting(UploadResult::sourceFile)
        .containsExactly(
            io.uploadstream.contract.SourceFileState.DELETE_PENDING,
            io.uploadstream.contract.SourceFileState.GONE);
    assertThat(results)
        .extracting(UploadResult::status)
        .containsOnly(UploadResult.Status.SUCCEEDED);
    assertThat(results.get(1).etag()).isEqualTo(results.get(0).etag());
    assertThat(
            pipeline
                .s3()
                .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(results.get(0).key()))
                .asByteArray())
        .isEqualTo(bytes);
  }

  Map<String, UploadResult> awaitResults(int count) {
    await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() >= count);
    return pipeline.results().stream()
        .collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
  }

  Path randomFile(String name, long size) throws Exception {
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
