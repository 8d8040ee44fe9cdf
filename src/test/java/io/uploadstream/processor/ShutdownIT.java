package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on a processor running as its own JVM ({@code upload-stream run}). */
class ShutdownIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private FaultInjectingProxy slowStore;
  private FaultInjectingProxy.Gauge uploadParts;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2);
    slowStore = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    uploadParts = slowStore.track(FaultInjectingProxy.Request::isUploadPart);
    pipeline.set("s3.endpoint", slowStore.endpoint().toString()).set("upload.parts-in-flight", "1");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    slowStore.close();
  }

  @Test
  void sigterm_letsTheUploadInFlightFinish_commitsItsResult_andExitsZero() throws Exception {
    stallParts(Duration.ofMillis(800));
    pipeline.set("processor.shutdown-grace", "60s");
    try (ChildProcess processor = startProcessor("graceful")) {
      Path file = TestData.randomFile(files.resolve("graceful.bin"), 30 * MIB); // 4 parts
      pipeline.publish(UploadRequest.of("graceful-1", file.toString(), "shutdown"));
      await().atMost(Duration.ofSeconds(60)).until(() -> uploadParts.count() >= 1);

      int exit = processor.terminate(Duration.ofSeconds(90));

      assertThat(exit).as(processor.output()).isZero();
      List<UploadResult> results = pipeline.results();
      assertThat(results).hasSize(1);
      assertThat(results.get(0).status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(results.get(0).partCount()).isEqualTo(4);
    }
  }

  @Test
  void sigterm_pastTheGrace_abortsTheUpload_commitsNothing_andTheNextInstanceDoesIt()
      throws Exception {
    stallParts(Duration.ofSeconds(3));
    pipeline.set("processor.shutdown-grace", "1s");
    Path file = TestData.randomFile(files.resolve("abandoned.bin"), 30 * MIB);
    try (ChildProcess processor = startProcessor("impatient")) {
      pipeline.publish(UploadRequest.of("abandoned-1", file.toString(), "shutdown"));
      await().atMost(Duration.ofSeconds(60)).until(() -> uploadParts.count() >= 1);

      int exit = processor.terminate(Duration.ofSeconds(90));

      assertThat(exit).as(processor.output()).isZero();
      assertThat(pipeline.results()).isEmpty();
      assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
          .as("the abandoned upload was aborted")
          .isEmpty();
    }

    stallParts(Duration.ZERO);
    pipeline.startProcessor("successor");

    await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.results().size() == 1);
    assertThat(pipeline.results().get(0).requestId()).isEqualTo("abandoned-1");
    assertThat(pipeline.results().get(0).status()).isEqualTo(UploadResult.Status.SUCCEEDED);
  }

  private void stallParts(Duration stall) {
    slowStore.rule(
        r ->
            r.isUploadPart() && !stall.isZero()
                ? FaultInjectingProxy.Action.stall(stall)
                : FaultInjectingProxy.Action.forward());
  }

  private ChildProcess startProcessor(String id) {
    Path config = pipeline.writeConfig(work.resolve(id + ".properties"), id);
    ChildProcess processor =
        ChildProcess.uploadStream(
            work.resolve(id + ".log"),
            List.of("-Xmx256m"),
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
