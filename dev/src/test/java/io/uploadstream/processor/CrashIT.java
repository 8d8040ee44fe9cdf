package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The processor as a child JVM, killed with SIGKILL mid-work and restarted: nothing is lost,
 * nothing is duplicated, nothing is left behind, and a half-done upload resumes where it was.
 * Requests for large files are handed to the large-file lane (in the transaction of their offset)
 * and served there, so kills also land before, during and after hand-offs: each is handed off
 * exactly once, with the key it would have had, and answered exactly once.
 */
class CrashIT {
  private static final Logger log = LoggerFactory.getLogger(CrashIT.class);
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;
  private FaultInjectingProxy.Gauge uploadParts;
  private int starts;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 4);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    uploadParts = store.track(FaultInjectingProxy.Request::isUploadPart);
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("processor.delivery", "exactly-once")
        .set("processor.large-file-threshold", "8MiB");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    store.close();
  }

  @Test
  void sigkillAtRandomMoments_everyRequestGetsExactlyOneResult_andNothingIsLeftBehind()
      throws Exception {
    Random random = new Random(20251124);
    Map<String, Path> requests = new HashMap<>();
    Map<String, String> keys = new HashMap<>();
    Instant requestedAt = Instant.parse("2025-11-24T12:00:00Z");
    Set<String> large = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      boolean multipart = i % 15 == 7; // 20 multi-part files among 300, handed off (>= 8 MiB)
      long size = multipart ? (9 + random.nextInt(16)) * MIB : random.nextInt(256 * 1024);
      Path file = TestData.randomFile(files.resolve("crash-" + i + ".bin"), size);
      String id = "crash-" + i;
      requests.put(id, file);
      keys.put(id, "crash/20251124120000-crash-" + i + ".bin");
      if (multipart) {
        large.add(id);
      }
      if (multipart && i % 2 == 1) {
        // No requestedAt: the key comes from the record's timestamp, which the hand-off carries.
        pipeline.publish(
            new UploadRequest(1, id, file.toString(), "crash", null, null, null, Map.of()),
            requestedAt);
      } else {
        pipeline.publish(
            new UploadRequest(1, id, file.toString(), "crash", null, null, requestedAt, Map.of()));
      }
    }

    ChildProcess processor = startProcessor();
    for (int kill = 1; kill <= 6; kill++) {
      awaitRandomMoment(random);
      log.info(
          "kill {}: SIGKILL at {} results, {} part requests",
          kill,
          committed(),
          uploadParts.count());
      Instant killedAt = Instant.now();
      int before = committed();
      processor.kill();
      processor = startProcessor();
      logTimeToResume(kill, killedAt, before, requests.size());
    }
    ChildProcess last = processor;
    await()
        .atMost(Duration.ofMinutes(5))
        .until(() -> committed() >= requests.size() || !last.isAlive());
    assertThat(last.terminate(Duration.ofSeconds(60))).as(last.output()).isZero();

    List<UploadResult> results = pipeline.results();
    assertThat(results).extracting(UploadResult::requestId).doesNotHaveDuplicates();
    Map<String, UploadResult> byId =
        results.stream().collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
    assertThat(byId.keySet()).isEqualTo(requests.keySet());
    for (Map.Entry<String, Path> request : requests.entrySet()) {
      UploadResult result = byId.get(request.getKey());
      assertThat(result.status()).as(result.toString()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(result.key()).isEqualTo(keys.get(request.getKey()));
      byte[] stored =
          pipeline
              .s3()
              .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
              .asByteArray();
      assertThat(stored).as(result.key()).isEqualTo(Files.readAllBytes(request.getValue()));
    }
    Set<String> storedKeys =
        pipeline.s3().listObjectsV2Paginator(b -> b.bucket(pipeline.bucket)).contents().stream()
            .map(S3Object::key)
            .collect(Collectors.toSet());
    assertThat(storedKeys)
        .as("no object that no request named")
        .isEqualTo(new HashSet<>(keys.values()));
    assertThat(handedOff())
        .as("each large request handed off exactly once, and nothing else")
        .containsExactlyInAnyOrderElementsOf(large);
    // A kill between CreateMultipartUpload and the first part leaves an upload without parts. The
    // redelivery cannot tell it from another request's upload that just started, so it neither
    // resumes nor aborts it: the janitor removes it. Nothing with a part stored may be left.
    for (MultipartUpload left :
        pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads()) {
      assertThat(keys.values()).contains(left.key());
      assertThat(
              pipeline
                  .s3()
                  .listParts(
                      b -> b.bucket(pipeline.bucket).key(left.key()).uploadId(left.uploadId()))
                  .parts())
          .as("parts of the incomplete upload left at " + left.key())
          .isEmpty();
    }
    assertThat(starts).isGreaterThanOrEqualTo(6);
  }

  @Test
  void sigkillMidWayThroughA200MiBUpload_theRestartUploadsOnlyTheMissingParts() throws Exception {
    Path file = TestData.randomFile(files.resolve("big.bin"), 200 * MIB); // 25 parts of 8 MiB
    pipeline.publish(UploadRequest.of("big-1", file.toString(), "resume"));
    ChildProcess processor = startProcessor();
    await().atMost(Duration.ofMinutes(2)).until(() -> uploadParts.count() >= 12);
    processor.kill();

    String uploadId =
        pipeline
            .s3()
            .listMultipartUploads(b -> b.bucket(pipeline.bucket))
            .uploads()
            .get(0)
            .uploadId();
    String key =
        pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads().get(0).key();
    Set<Integer> stored =
        pipeline
            .s3()
            .listPartsPaginator(b -> b.bucket(pipeline.bucket).key(key).uploadId(uploadId))
            .parts()
            .stream()
            .map(Part::partNumber)
            .collect(Collectors.toSet());
    assertThat(stored).isNotEmpty().hasSizeLessThan(25);
    int before = store.requests().size();

    processor = startProcessor();
    await().atMost(Duration.ofMinutes(2)).until(() -> committed() == 1);
    assertThat(processor.terminate(Duration.ofSeconds(60))).isZero();

    Set<Integer> sentAfterRestart =
        store.requests().subList(before, store.requests().size()).stream()
            .filter(FaultInjectingProxy.Request::isUploadPart)
            .map(FaultInjectingProxy.Request::partNumber)
            .collect(Collectors.toSet());
    Set<Integer> missing = new HashSet<>();
    for (int part = 1; part <= 25; part++) {
      if (!stored.contains(part)) {
        missing.add(part);
      }
    }
    assertThat(sentAfterRestart).as("only the parts that were missing").isEqualTo(missing);
    UploadResult result = pipeline.results().get(0);
    assertThat(result.status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(result.partCount()).isEqualTo(25);
    byte[] object =
        pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(key)).asByteArray();
    assertThat(object).isEqualTo(Files.readAllBytes(file));
    assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
        .isEmpty();
  }

  @Test
  void sigkillsAmidHandOffs_eachLargeRequestIsHandedOffOnce_andAnsweredOnce() throws Exception {
    // One small-lane slot and 40 ms per store request: the hand-offs (no store request) are spread
    // between small uploads, so the kills land before, in and after hand-off transactions.
    pipeline.set("processor.large-file-threshold", "1MiB").set("processor.uploads-in-flight", "1");
    store.latency(Duration.ofMillis(40));
    Random random = new Random(20261206);
    Map<String, Path> requests = new HashMap<>();
    Set<String> large = new HashSet<>();
    Instant recordTime = Instant.parse("2026-12-06T10:00:00Z");
    for (int i = 0; i < 120; i++) {
      boolean big = i % 2 == 0; // 60 hand-offs (1-3 MiB, one PutObject each) among 60 small files
      long size = big ? MIB + random.nextInt((int) (2 * MIB)) : 1 + random.nextInt(64 * 1024);
      Path file = TestData.randomFile(files.resolve("handoff-" + i + ".bin"), size);
      String id = "handoff-" + i;
      requests.put(id, file);
      if (big) {
        large.add(id);
      }
      pipeline.publish(
          new UploadRequest(1, id, file.toString(), "handoff", null, null, null, Map.of()),
          recordTime);
    }

    ChildProcess processor = startProcessor();
    for (int kill = 1; kill <= 6; kill++) {
      int handedOff = handedOff().size();
      int target = Math.min(large.size(), handedOff + 1 + random.nextInt(6));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> handedOff().size() >= target || committed() >= requests.size());
      log.info(
          "kill {}: SIGKILL at {} hand-offs, {} results", kill, handedOff().size(), committed());
      processor.kill();
      processor = startProcessor();
    }
    ChildProcess last = processor;
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> committed() >= requests.size() || !last.isAlive());
    assertThat(last.terminate(Duration.ofSeconds(60))).as(last.output()).isZero();

    assertThat(handedOff())
        .as("each large request handed off exactly once")
        .containsExactlyInAnyOrderElementsOf(large);
    List<UploadResult> results = pipeline.results();
    assertThat(results).extracting(UploadResult::requestId).doesNotHaveDuplicates();
    assertThat(results)
        .extracting(UploadResult::requestId)
        .containsExactlyInAnyOrderElementsOf(requests.keySet());
    for (UploadResult result : results) {
      assertThat(result.succeeded()).as(result.toString()).isTrue();
      String name = Path.of(result.filePath()).getFileName().toString();
      assertThat(result.key())
          .as("the key of the original record's timestamp, handed off or not")
          .isEqualTo("handoff/20261206100000-" + name);
      byte[] stored =
          pipeline
              .s3()
              .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
              .asByteArray();
      assertThat(stored).isEqualTo(Files.readAllBytes(requests.get(result.requestId())));
    }
  }

  /** The request ids on the large-request topic, as committed (read_committed). */
  private List<String> handedOff() {
    return pipeline.largeRequestRecords().stream()
        .map(record -> new String(record.key(), StandardCharsets.UTF_8))
        .toList();
  }

  /**
   * How long after the SIGKILL the restarted instance (same instance id: a static member) committed
   * its first result, when results were still due.
   */
  private void logTimeToResume(int kill, Instant killedAt, int before, int expected) {
    if (before >= expected) {
      return;
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> committed() > before);
    log.info(
        "kill {}: first result committed {} ms after the SIGKILL (restart included)",
        kill,
        Duration.between(killedAt, Instant.now()).toMillis());
  }

  /** Waits for a random amount of progress: some more results, or some more parts sent. */
  private void awaitRandomMoment(Random random) {
    if (random.nextBoolean()) {
      int target = committed() + 5 + random.nextInt(40);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> committed() >= target || committed() >= 290);
    } else {
      int target = uploadParts.count() + 1 + random.nextInt(8);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> uploadParts.count() >= target || committed() >= 290);
    }
  }

  private int committed() {
    return pipeline.results().size();
  }

  /** Child logs are kept under target/ so a failure can be read afterwards. */
  private static Path logs() {
    try {
      return java.nio.file.Files.createDirectories(Path.of("target", "crash-logs"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ChildProcess startProcessor() {
    starts++;
    Path config = pipeline.writeConfig(work.resolve("crash.properties"), "crash-processor");
    Path log = logs().resolve("processor-" + starts + ".log");
    try {
      Files.deleteIfExists(log); // logs are appended to: an earlier run's would read as started
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ChildProcess processor =
        ChildProcess.uploadStream(
            log,
            List.of("-Xmx512m", "-Dupload-stream.log.level=DEBUG"),
            Map.of(),
            "run",
            "--config",
            config.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> processor.output().contains("assigned [") || !processor.isAlive());
    assertThat(processor.isAlive()).as(processor.output()).isTrue();
    return processor;
  }
}
