package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.AfterUpload;
import io.uploadstream.contract.SourceFileState;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor as a child JVM that dies between committing a delete request's result and deleting
 * its file (it halts there, as SIGKILL would, by the test hook {@link
 * SourceDeleter#HALT_BEFORE_DELETE}). In exactly-once mode the request's offset was committed with
 * its result, so no delivery follows: the file is left, the object and the one result stay.
 * Publishing the request again deletes the file; once more, it answers from the stored object.
 */
class SourceDeleteCrashIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private int starts;

  @BeforeEach
  void pipeline() {
    pipeline =
        PipelineFixture.onSharedStack(files, 1)
            .set("processor.allow-delete", "true")
            .set("processor.delivery", "exactly-once")
            .set("upload.part-size", "5MiB");
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  @Test
  void crashBetweenCommitAndDelete_leavesTheFile_neverLosesTheObject_andAPublishAgainDeletesIt()
      throws Exception {
    Path file = TestData.randomFile(files.resolve("scan.tiff"), 6 * MIB); // two parts
    byte[] bytes = Files.readAllBytes(file);
    UploadRequest request =
        new UploadRequest(
            1,
            "crash-delete",
            file.toString(),
            "scans",
            null,
            null,
            Instant.parse("2025-11-30T10:00:00Z"),
            Map.of(),
            null,
            null,
            null,
            Map.of(),
            AfterUpload.DELETE);

    ChildProcess crashing =
        startProcessor(List.of("-D" + SourceDeleter.HALT_BEFORE_DELETE + "=true"));
    pipeline.publish(request);
    assertThat(crashing.waitFor(Duration.ofSeconds(90))).as(crashing.output()).isEqualTo(137);

    UploadResult committed = single(pipeline.results());
    assertThat(committed.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(committed.sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    assertThat(file).as("the crash came between the commit and the delete").exists();
    assertThat(object(committed.key())).isEqualTo(bytes);

    ChildProcess restarted = startProcessor(List.of());
    Path marker = TestData.randomFile(files.resolve("marker.txt"), 10);
    pipeline.publish(UploadRequest.of("marker", marker.toString(), "scans"));
    await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.results().size() >= 2);
    assertThat(pipeline.results())
        .as("exactly-once: the request's offset was committed with its result")
        .extracting(UploadResult::requestId)
        .containsExactly("crash-delete", "marker");
    assertThat(file).as("no delivery follows: the file is left").exists();

    pipeline.publish(request); // the user publishes it again
    await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.results().size() >= 3);
    UploadResult again = pipeline.results().get(2);
    assertThat(again.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(again.sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    assertThat(again.etag()).isEqualTo(committed.etag());
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(file));

    pipeline.publish(request); // and once more, after the delete
    await().atMost(Duration.ofMinutes(1)).until(() -> pipeline.results().size() >= 4);
    UploadResult afterDelete = pipeline.results().get(3);
    assertThat(afterDelete.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(afterDelete.sourceFile()).isEqualTo(SourceFileState.GONE);
    assertThat(afterDelete.key()).isEqualTo(committed.key());
    assertThat(object(committed.key())).isEqualTo(bytes);
    assertThat(restarted.terminate(Duration.ofMinutes(1))).as(restarted.output()).isZero();
  }

  private static UploadResult single(List<UploadResult> results) {
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private byte[] object(String key) {
    return pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(key)).asByteArray();
  }

  private ChildProcess startProcessor(List<String> jvmArgs) {
    starts++;
    Path config = pipeline.writeConfig(work.resolve("processor.properties"), "delete-crash");
    Path log = work.resolve("processor-" + starts + ".log");
    ChildProcess processor =
        ChildProcess.uploadStream(
            log,
            java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xmx256m"), jvmArgs.stream())
                .toList(),
            Map.of(),
            "run",
            "--config",
            config.toString());
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> processor.output().contains("assigned [") || !processor.isAlive());
    assertThat(processor.isAlive()).as(processor.output()).isTrue();
    return processor;
  }
}
