package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
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
 * prefix, same file name, same second. Run on two processor instances of one group, a real broker
 * and a real S3 server, for a file sent in one PutObject (1 KiB) and one sent as a multipart upload
 * (20 MiB in 5 MiB parts).
 */
class KeyConflictIT {
  private static final long MIB = 1024 * 1024;
  private static final Instant SAME_SECOND = Instant.parse("2025-08-16T16:31:04Z");

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void closePipeline() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void twoInstances_twoFilesUnderOneKey_neverTwoSuccessesServingOneFile() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2).set("upload.part-size", "5MiB");
    startTwoInstances();
    Path smallA = randomFile("a", "photo.jpg", 1024, 1);
    Path smallB = randomFile("b", "photo.jpg", 1024, 2);
    Path bigA = randomFile("a", "video.mp4", 20 * MIB, 3);
    Path bigB = randomFile("b", "video.mp4", 20 * MIB, 4);

    pipeline.publish(request("small-a", smallA), 0);
    pipeline.publish(request("big-a", bigA), 0);
    pipeline.publish(request("small-b", smallB), 1);
    pipeline.publish(request("big-b", bigB), 1);
    Map<String, UploadResult> results = awaitResults(4);

    SoftAssertions softly = new SoftAssertions();
    assertServesItsOwnFile(softly, results.get("small-a"), smallA, results.get("small-b"));
    assertServesItsOwnFile(softly, results.get("small-b"), smallB, results.get("small-a"));
    assertServesItsOwnFile(softly, results.get("big-a"), bigA, results.get("big-b"));
    assertServesItsOwnFile(softly, results.get("big-b"), bigB, results.get("big-a"));
    softly.assertAll();
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
    byte[] stored =
        pipeline
            .s3()
            .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
            .asByteArray();
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
    await().atMost(Duration.ofSeconds(120)).until(() -> pipeline.results().size() >= count);
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
