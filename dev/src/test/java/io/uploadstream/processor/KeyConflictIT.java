package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.testing.PipelineFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two different requests (different requestId, different files) whose keys are the same: same
 * prefix, same file name, same second. Run on two processor instances of one group (one for
 * overwrite mode), a real broker and a real S3 server, for a file sent in one PutObject (1 KiB) and
 * one sent as a multipart upload (20 MiB in 5 MiB parts). Before conflicts were detected, both
 * requests of a pair succeeded and one URL served the other file's bytes.
 */
class KeyConflictIT {
  private static final long MIB = 1024 * 1024;
  private static final Instant SAME_SECOND = Instant.parse("2025-08-16T16:31:04Z");
  private static final String SMALL_KEY = "avatars/20250816163104-photo.jpg";
  private static final String BIG_KEY = "avatars/20250816163104-video.mp4";

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void closePipeline() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /**
   * The default, {@code upload.on-key-conflict=fail}: of each pair exactly one request succeeds and
   * its object is its file; the other fails with KEY_CONFLICT naming the key.
   */
  @Test
  void twoInstances_twoFilesUnderOneKey_neverTwoSuccessesServingOneFile() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2).set("upload.part-size", "5MiB");
    startTwoInstances();
    Pairs pairs = publishPairs();
    Map<String, UploadResult> results = awaitResults(4);

    assertEverySuccessServesItsOwnFile(pairs, results);
    for (List<String> pair : List.of(List.of("small-a", "small-b"), List.of("big-a", "big-b"))) {
      List<UploadResult> both = pair.stream().map(results::get).toList();
      assertThat(both).extracting(UploadResult::status).containsOnlyOnce(Status.SUCCEEDED);
      UploadResult failed =
          both.stream().filter(r -> r.status() == Status.FAILED).findFirst().orElseThrow();
      assertThat(failed.error().code()).isEqualTo(ErrorCode.KEY_CONFLICT);
      assertThat(failed.error().retryable()).isFalse();
      assertThat(failed.error().message()).contains(failed.key());
      UploadResult succeeded =
          both.stream().filter(r -> r.status() == Status.SUCCEEDED).findFirst().orElseThrow();
      assertThat(requestIdOf(succeeded.key())).isEqualTo(succeeded.requestId());
    }
  }

  /**
   * {@code upload.on-key-conflict=rename}: both requests succeed, one at the key and one at its
   * renamed key, each object its own file and carrying its requestId.
   */
  @Test
  void twoInstances_renameMode_bothSucceed_eachObjectItsOwnFileUnderItsOwnKey() throws Exception {
    pipeline =
        PipelineFixture.onSharedStack(files, 2)
            .set("upload.part-size", "5MiB")
            .set("upload.on-key-conflict", "rename");
    startTwoInstances();
    Pairs pairs = publishPairs();
    Map<String, UploadResult> results = awaitResults(4);

    assertThat(results.values()).extracting(UploadResult::status).containsOnly(Status.SUCCEEDED);
    assertEverySuccessServesItsOwnFile(pairs, results);
    for (UploadResult result : results.values()) {
      String key = result.requestId().startsWith("small") ? SMALL_KEY : BIG_KEY;
      assertThat(result.key()).isIn(key, ObjectKeys.renamed(key, result.requestId()));
      assertThat(result.cdnUrl()).endsWith("/" + pipeline.bucket + "/" + result.key());
      assertThat(requestIdOf(result.key())).isEqualTo(result.requestId());
    }
    assertThat(results.values()).extracting(UploadResult::key).doesNotHaveDuplicates();
  }

  /**
   * {@code upload.on-key-conflict=overwrite}, on one instance running both uploads of a pair at
   * once: what every upload did before conflicts were detected. Both succeed with the same key,
   * which holds one of the two files.
   */
  @Test
  void oneInstance_overwriteMode_bothSucceedWithOneKey_holdingOneOfTheFiles() throws Exception {
    pipeline =
        PipelineFixture.onSharedStack(files, 1)
            .set("upload.part-size", "5MiB")
            .set("upload.on-key-conflict", "overwrite");
    pipeline.startProcessor("only");
    Pairs pairs = publishPairsTo(0, 0);
    Map<String, UploadResult> results = awaitResults(4);

    assertThat(results.values()).extracting(UploadResult::status).containsOnly(Status.SUCCEEDED);
    assertThat(results.get("small-a").key()).isEqualTo(results.get("small-b").key());
    assertThat(results.get("big-a").key()).isEqualTo(results.get("big-b").key());
    assertThat(sha256(stored(SMALL_KEY))).isIn(sha256(pairs.smallA()), sha256(pairs.smallB()));
    assertThat(sha256(stored(BIG_KEY))).isIn(sha256(pairs.bigA()), sha256(pairs.bigB()));
  }

  /** Two files per size, the same name in two directories, so the same key for each pair. */
  private record Pairs(Path smallA, Path smallB, Path bigA, Path bigB) {}

  private Pairs publishPairs() throws IOException {
    return publishPairsTo(0, 1); // one partition per instance: each pair spans both instances
  }

  private Pairs publishPairsTo(int partitionA, int partitionB) throws IOException {
    Pairs pairs =
        new Pairs(
            randomFile("a", "photo.jpg", 1024, 1),
            randomFile("b", "photo.jpg", 1024, 2),
            randomFile("a", "video.mp4", 20 * MIB, 3),
            randomFile("b", "video.mp4", 20 * MIB, 4));
    pipeline.publish(request("small-a", pairs.smallA()), partitionA);
    pipeline.publish(request("big-a", pairs.bigA()), partitionA);
    pipeline.publish(request("small-b", pairs.smallB()), partitionB);
    pipeline.publish(request("big-b", pairs.bigB()), partitionB);
    return pairs;
  }

  private void assertEverySuccessServesItsOwnFile(Pairs pairs, Map<String, UploadResult> results)
      throws IOException {
    SoftAssertions softly = new SoftAssertions();
    assertServesItsOwnFile(softly, results.get("small-a"), pairs.smallA(), results.get("small-b"));
    assertServesItsOwnFile(softly, results.get("small-b"), pairs.smallB(), results.get("small-a"));
    assertServesItsOwnFile(softly, results.get("big-a"), pairs.bigA(), results.get("big-b"));
    assertServesItsOwnFile(softly, results.get("big-b"), pairs.bigB(), results.get("big-a"));
    softly.assertAll();
  }

  private byte[] stored(String key) {
    return pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(key)).asByteArray();
  }

  private String requestIdOf(String key) {
    return pipeline
        .s3()
        .headObject(b -> b.bucket(pipeline.bucket).key(key))
        .metadata()
        .get(RequestIdMetadata.KEY);
  }

  private static String sha256(Path file) throws IOException {
    return sha256(Files.readAllBytes(file));
  }

  /** A SUCCEEDED result's object holds its own file, at a key no other success points at. */
  private void assertServesItsOwnFile(
      SoftAssertions softly, UploadResult result, Path file, UploadResult other)
      throws IOException {
    if (result.status() != Status.SUCCEEDED) {
      return;
    }
    if (other.status() == Status.SUCCEEDED) {
      softly
          .assertThat(result.key())
          .as("two successful requests point at one object")
          .isNotEqualTo(other.key());
    }
    byte[] stored = stored(result.key());
    softly
        .assertThat(sha256(stored))
        .as("SHA-256 of the object of SUCCEEDED %s, of its file", result.requestId())
        .isEqualTo(sha256(Files.readAllBytes(file)));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void startTwoInstances() {
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    pipeline.startProcessor("a", partitionCount(a));
    pipeline.startProcessor("b", partitionCount(b));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> last(a) == 1 && last(b) == 1); // one partition, so one request pair, each
  }

  private static UploadRequest request(String requestId, Path file) {
    return new UploadRequest(
        1, requestId, file.toString(), "avatars", null, null, SAME_SECOND, Map.of());
  }

  private Map<String, UploadResult> awaitResults(int count) {
    await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() >= count);
    List<UploadResult> results = pipeline.results();
    assertThat(results).hasSize(count);
    return results.stream().collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
  }

  /** Seeded random bytes under {@code files/dir/name}: same name, other content per seed. */
  private Path randomFile(String dir, String name, long size, long seed) throws IOException {
    Path file = Files.createDirectories(files.resolve(dir)).resolve(name);
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[(int) Math.min(size, MIB)];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        for (int i = 0; i < chunk.length; i++) {
          chunk[i] = (byte) random.nextInt(256);
        }
        out.write(chunk, 0, (int) Math.min(left, chunk.length));
      }
    }
    return file;
  }

  private static ProcessorListener partitionCount(List<Integer> sink) {
    return new ProcessorListener() {
      @Override
      public void assignmentChanged(java.util.Set<TopicPartition> assigned) {
        synchronized (sink) {
          sink.add(assigned.size());
        }
      }
    };
  }

  private static int last(List<Integer> counts) {
    synchronized (counts) {
      return counts.isEmpty() ? 0 : counts.get(counts.size() - 1);
    }
  }
}
