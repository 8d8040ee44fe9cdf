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
  void sigterm_pastTheGrace_keepsTheUpload_commitsNothing_andTheNextInstanceResumesIt()
      throws Exception {
    StoreGate gate = StoreGate.holding(slowStore, r -> r.isUploadPart() && r.partNumber() > 8);
    pipeline.set("processor.shutdown-grace", "1s").set("upload.parts-in-flight", "2");
    Path file = TestData.randomFile(files.resolve("handed-over.bin"), 200 * MIB); // 25 parts
    int inFlightAtTheStop;
    try (ChildProcess processor = startProcessor("impatient")) {
      pipeline.publish(UploadRequest.of("handed-over-1", file.toString(), "shutdown"));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> uploadParts.count() >= 10 && uploadParts.inFlight() >= 2);
      inFlightAtTheStop = uploadParts.inFlight();

      int exit = processor.terminate(Duration.ofSeconds(60));

      assertThat(exit).as(processor.output()).isZero();
      assertThat(pipeline.results()).isEmpty();
      assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
          .as("the interrupted upload is kept for the next instance")
          .hasSize(1);
    } finally {
      gate.open();
    }

    pipeline.startProcessor("successor");

    await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() == 1);
    UploadResult result = pipeline.results().get(0);
    assertThat(result.requestId()).isEqualTo("handed-over-1");
    assertThat(result.status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(
            pipeline
                .s3()
                .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
                .asByteArray())
        .isEqualTo(Files.readAllBytes(file));
    assertThat(uploadParts.count())
        .as("UploadPart requests: every part once, plus those in flight at the stop")
        .isLessThanOrEqualTo(25 + inFlightAtTheStop);
    assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
        .isEmpty();
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
