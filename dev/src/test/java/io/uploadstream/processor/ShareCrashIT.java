package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Share consumption across a crash: a member killed with SIGKILL mid-upload (a child JVM of the
 * packaged jar) loses its record at once, and another member of the share group resumes the kept
 * multipart upload, sending only the missing parts.
 */
class ShareCrashIT {
  private static final Logger log = LoggerFactory.getLogger(ShareCrashIT.class);
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private FaultInjectingProxy slowStore;
  private FaultInjectingProxy fastStore;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    slowStore = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    fastStore = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    pipeline
        .set("processor.consumption", "share")
        .set("processor.uploads-in-flight", "1")
        .set("upload.part-size", "5MiB")
        .set("upload.parts-in-flight", "1");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    slowStore.close();
    fastStore.close();
  }

  @Test
  void sigkillOfAMemberMidUpload_anotherMemberResumesIt_sendingOnlyTheMissingParts()
      throws Exception {
    Path file = TestData.randomFile(files.resolve("shared-big.bin"), 60 * MIB); // 12 parts
    slowStore.latency(Duration.ofMillis(700)); // the child's upload takes ~10 s
    FaultInjectingProxy.Gauge childParts =
        slowStore.track(FaultInjectingProxy.Request::isUploadPart);
    pipeline.set("s3.endpoint", slowStore.endpoint().toString());
    Path config = pipeline.writeConfig(work.resolve("share.properties"), "share-child");
    pipeline.set("s3.endpoint", fastStore.endpoint().toString());

    try (ChildProcess child = startChild(config)) {
      pipeline.publish(UploadRequest.of("shared-big", file.toString(), "crash"));
      await().atMost(Duration.ofSeconds(60)).until(() -> childParts.count() >= 3);

      child.kill(); // the broker releases its record at once: the connection dropped
      Instant killedAt = Instant.now();
      Set<Integer> stored = storedParts();
      assertThat(stored).isNotEmpty().hasSizeLessThan(12);
      ShareRecorder survivor = new ShareRecorder();
      pipeline.startProcessor("share-survivor", survivor);

      await().atMost(Duration.ofSeconds(60)).until(() -> !pipeline.results().isEmpty());
      log.info(
          "the survivor (started after the SIGKILL) committed the result {} ms after it",
          Duration.between(killedAt, Instant.now()).toMillis());
      UploadResult result = pipeline.results().get(0);
      assertThat(pipeline.results()).hasSize(1);
      assertThat(result.status()).as(result.toString()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(result.partCount()).isEqualTo(12);
      byte[] object =
          pipeline
              .s3()
              .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
              .asByteArray();
      assertThat(object).isEqualTo(Files.readAllBytes(file));
      Set<Integer> sentBySurvivor =
          fastStore.requests().stream()
              .filter(FaultInjectingProxy.Request::isUploadPart)
              .map(FaultInjectingProxy.Request::partNumber)
              .collect(Collectors.toSet());
      Set<Integer> missing = new HashSet<>();
      for (int part = 1; part <= 12; part++) {
        if (!stored.contains(part)) {
          missing.add(part);
        }
      }
      assertThat(sentBySurvivor).as("only the parts that were missing").isEqualTo(missing);
      assertThat(survivor.count(ShareRecordEvent.ACQUIRED)).isEqualTo(1);
      assertThat(survivor.count(ShareRecordEvent.ACCEPTED)).isEqualTo(1);
      assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
          .isEmpty();
    }
  }

  private Set<Integer> storedParts() {
    List<MultipartUpload> uploads =
        pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads();
    assertThat(uploads).hasSize(1);
    MultipartUpload upload = uploads.get(0);
    return pipeline
        .s3()
        .listPartsPaginator(
            b -> b.bucket(pipeline.bucket).key(upload.key()).uploadId(upload.uploadId()))
        .parts()
        .stream()
        .map(Part::partNumber)
        .collect(Collectors.toSet());
  }

  private static ChildProcess startChild(Path config) throws Exception {
    Path log = Files.createDirectories(Path.of("target", "crash-logs")).resolve("share-child.log");
    Files.deleteIfExists(log);
    ChildProcess child =
        ChildProcess.uploadStream(
            log, List.of("-Xmx256m"), Map.of(), "run", "--config", config.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> child.output().contains("joined share group") || !child.isAlive());
    assertThat(child.isAlive()).as(child.output()).isTrue();
    return child;
  }
}
