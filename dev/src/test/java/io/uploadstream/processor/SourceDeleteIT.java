package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.AfterUpload;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.SourceFileState;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.testing.PipelineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code afterUpload=delete} on a real broker and S3 server: the file is deleted only after its
 * result is committed, only while it is the file uploaded, only inside the roots; a redelivery
 * after the delete answers SUCCEEDED from the stored object. What happens between commit and delete
 * is staged in the test listener's {@code resultCommitted}, which the processor calls on the loop
 * thread right after the commit and before it hands the delete over.
 */
class SourceDeleteIT {
  private static final long MIB = 1024 * 1024;
  private static final Instant AT = Instant.parse("2025-11-30T10:00:00Z");

  @TempDir Path tmp;
  private Path root;
  private Path outside;
  private PipelineFixture pipeline;
  private final Map<String, SourceOutcome> outcomes = new ConcurrentHashMap<>();
  private volatile Consumer<UploadResult> betweenCommitAndDelete = result -> {};

  @BeforeEach
  void dirs() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    pipeline =
        PipelineFixture.onSharedStack(root, 1)
            .set("processor.allow-delete", "true")
            .set("upload.part-size", "5MiB");
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  @Test
  void deleteRequests_singlePutAndMultipart_deletedOnceCommitted_objectsHoldTheFiles()
      throws Exception {
    Path small = TestData.randomFile(root.resolve("small.bin"), 1024);
    Path big = TestData.randomFile(root.resolve("big.bin"), 12 * MIB);
    byte[] smallBytes = Files.readAllBytes(small);
    byte[] bigBytes = Files.readAllBytes(big);
    start();

    pipeline.publish(delete("del-small", small));
    pipeline.publish(delete("del-big", big));
    Map<String, UploadResult> results = awaitResults(2);

    for (UploadResult result : results.values()) {
      assertThat(result.status()).as(result.toString()).isEqualTo(Status.SUCCEEDED);
      assertThat(result.sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    }
    assertThat(results.get("del-big").partCount()).isEqualTo(3);
    awaitOutcome("del-small", SourceOutcome.DELETED);
    awaitOutcome("del-big", SourceOutcome.DELETED);
    assertThat(small).doesNotExist();
    assertThat(big).doesNotExist();
    assertThat(object(results.get("del-small").key())).isEqualTo(smallBytes);
    assertThat(object(results.get("del-big").key())).isEqualTo(bigBytes);
  }

  /**
   * A delete request for a large file is handed to the large-file lane: the hand-off deletes
   * nothing, the large lane deletes the file once its own result is committed.
   */
  @Test
  void deleteRequest_handedToTheLargeLane_isDeletedOnceThatLaneCommittedItsResult()
      throws Exception {
    pipeline.set("processor.large-file-threshold", "8MiB");
    Path big = TestData.randomFile(root.resolve("large.bin"), 12 * MIB);
    byte[] bigBytes = Files.readAllBytes(big);
    betweenCommitAndDelete =
        result -> assertThat(big).as("kept until its result is committed").exists();
    start();

    pipeline.publish(delete("del-large", big));
    UploadResult result = awaitResults(1).get("del-large");

    assertThat(result.status()).as(result.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(result.sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    assertThat(pipeline.largeRequestRecords()).as("served by the large-file lane").hasSize(1);
    awaitOutcome("del-large", SourceOutcome.DELETED);
    assertThat(big).doesNotExist();
    assertThat(object(result.key())).isEqualTo(bigBytes);
  }

  /** Someone writes a new file at the path after the upload: it is not the file uploaded. */
  @Test
  void fileReplacedBetweenTheUploadAndTheDelete_isKept() throws Exception {
    Path file = TestData.randomFile(root.resolve("report.pdf"), 4096);
    byte[] uploaded = Files.readAllBytes(file);
    betweenCommitAndDelete = result -> replace(file, "the next report");
    start();

    pipeline.publish(delete("swap", file));
    UploadResult result = awaitResults(1).get("swap");

    assertThat(result.sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    awaitOutcome("swap", SourceOutcome.CHANGED);
    assertThat(file).hasContent("the next report");
    assertThat(object(result.key())).isEqualTo(uploaded);
  }

  /** A directory on the path becomes a symlink to outside the roots: nothing there is deleted. */
  @Test
  void directorySwappedForASymlinkOutside_betweenUploadAndDelete_deletesNothing() throws Exception {
    Path dir = Files.createDirectories(root.resolve("in"));
    Path file = TestData.randomFile(dir.resolve("scan.tiff"), 2048);
    Path bait =
        Files.copy(file, Files.createDirectories(outside.resolve("in")).resolve("scan.tiff"));
    betweenCommitAndDelete =
        result -> {
          move(dir, root.resolve("in-old"));
          symlink(dir, outside.resolve("in"));
        };
    start();

    pipeline.publish(delete("dir-swap", file));
    assertThat(awaitResults(1).get("dir-swap").status()).isEqualTo(Status.SUCCEEDED);

    awaitOutcome("dir-swap", SourceOutcome.REFUSED);
    assertThat(bait).exists();
    assertThat(root.resolve("in-old/scan.tiff")).exists();
  }

  @Test
  void deleteRequest_outsideTheRoots_isRefused_andNothingIsDeleted() throws Exception {
    Path file = TestData.randomFile(outside.resolve("secret.bin"), 100);
    start();

    pipeline.publish(delete("outside", file));
    UploadResult result = awaitResults(1).get("outside");

    assertThat(result.error().code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(result.sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(file).exists();
    assertThat(outcomes).isEmpty();
  }

  @Test
  void deleteRequest_onAProcessorWithoutAllowDelete_isInvalid_andTheFileStays() throws Exception {
    pipeline.set("processor.allow-delete", "false");
    Path file = TestData.randomFile(root.resolve("keep.bin"), 100);
    start();

    pipeline.publish(delete("not-allowed", file));
    UploadResult result = awaitResults(1).get("not-allowed");

    assertThat(result.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(result.error().message()).contains("processor.allow-delete=true");
    assertThat(result.sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(file).exists();
    assertThat(pipeline.s3().listObjectsV2(b -> b.bucket(pipeline.bucket)).contents()).isEmpty();
  }

  /** A failed upload never deletes: here the key holds another request's object. */
  @Test
  void failedUpload_keepsTheFile() throws Exception {
    Path file = TestData.randomFile(root.resolve("taken.bin"), 100);
    String key = ObjectKeys.key("del", AT, "taken.bin");
    pipeline
        .s3()
        .putObject(
            b ->
                b.bucket(pipeline.bucket)
                    .key(key)
                    .metadata(Map.of(RequestIdMetadata.KEY, "someone-else")),
            RequestBody.fromString("theirs"));
    start();

    pipeline.publish(delete("conflict", file));
    UploadResult result = awaitResults(1).get("conflict");

    assertThat(result.error().code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(result.sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(file).exists();
    assertThat(outcomes).isEmpty();
  }

  /**
   * The same request delivered again after its file was deleted (at-least-once after a crash, or
   * published again): SUCCEEDED from the object it stored, found by key and requestId — also at its
   * renamed key — never FILE_NOT_FOUND.
   */
  @Test
  void redeliveryAfterTheDelete_answersSucceededFromTheStoredObject() throws Exception {
    pipeline.set("upload.on-key-conflict", "rename");
    Path file = TestData.randomFile(root.resolve("photo.jpg"), 3000);
    Path renamed = TestData.randomFile(root.resolve("avatar.jpg"), 3000);
    String takenKey = ObjectKeys.key("del", AT, "avatar.jpg");
    pipeline
        .s3()
        .putObject(
            b ->
                b.bucket(pipeline.bucket)
                    .key(takenKey)
                    .metadata(Map.of(RequestIdMetadata.KEY, "someone-else")),
            RequestBody.fromString("theirs"));
    start();
    pipeline.publish(delete("again", file));
    pipeline.publish(delete("again-renamed", renamed));
    Map<String, UploadResult> first = awaitResults(2);
    awaitOutcome("again", SourceOutcome.DELETED);
    awaitOutcome("again-renamed", SourceOutcome.DELETED);

    pipeline.publish(delete("again", file));
    pipeline.publish(delete("again-renamed", renamed));
    List<UploadResult> all = awaitAll(4);

    for (String id : List.of("again", "again-renamed")) {
      UploadResult redelivered =
          all.stream().filter(r -> r.requestId().equals(id)).skip(1).findFirst().orElseThrow();
      assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(Status.SUCCEEDED);
      assertThat(redelivered.sourceFile()).isEqualTo(SourceFileState.GONE);
      assertThat(redelivered.key()).isEqualTo(first.get(id).key());
      assertThat(redelivered.etag()).isEqualTo(first.get(id).etag());
      assertThat(redelivered.size()).isEqualTo(3000);
    }
    assertThat(first.get("again-renamed").key())
        .isEqualTo(ObjectKeys.renamed(takenKey, "again-renamed"));
  }

  private void start() {
    pipeline.startProcessor(
        "deleter",
        new ProcessorListener() {
          @Override
          public void resultCommitted(UploadResult result) {
            betweenCommitAndDelete.accept(result);
          }

          @Override
          public void sourceFileHandled(String requestId, SourceOutcome outcome) {
            outcomes.put(requestId, outcome);
          }
        });
  }

  private static UploadRequest delete(String id, Path file) {
    return new UploadRequest(
        1,
        id,
        file.toString(),
        "del",
        null,
        null,
        AT,
        Map.of(),
        null,
        null,
        null,
        Map.of(),
        AfterUpload.DELETE);
  }

  private Map<String, UploadResult> awaitResults(int count) {
    List<UploadResult> all = awaitAll(count);
    Map<String, UploadResult> byId = new ConcurrentHashMap<>();
    all.forEach(r -> byId.putIfAbsent(r.requestId(), r));
    return byId;
  }

  private List<UploadResult> awaitAll(int count) {
    return await()
        .atMost(Duration.ofMinutes(1))
        .until(pipeline::results, results -> results.size() >= count);
  }

  private void awaitOutcome(String requestId, SourceOutcome expected) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(outcomes).containsEntry(requestId, expected));
  }

  private byte[] object(String key) {
    return pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(key)).asByteArray();
  }

  private static void replace(Path file, String content) {
    try {
      Path next = Files.writeString(file.resolveSibling("next.tmp"), content);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void symlink(Path link, Path target) {
    try {
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
