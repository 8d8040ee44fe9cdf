package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.ops.OpsHttp;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flaky store, and a store that goes away for 30 s: uploads succeed, nothing is lost. */
class StoreFaultsIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 4);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    pipeline.set("s3.endpoint", store.endpoint().toString()).set("metrics.port", "0");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    store.close();
  }

  @Test
  void flakyStore_500s503sSlowDownResetsAndStalls_everyUploadStillSucceeds() throws Exception {
    // Every fifth request fails, the kinds of failure in turn: as many faults in every run
    // (a random 20 % injected fewer than the assertion asks for now and then).
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger faults = new AtomicInteger();
    store.rule(
        request -> {
          int n = requests.incrementAndGet();
          if (n % 5 != 0) {
            return Action.forward();
          }
          faults.incrementAndGet();
          return switch ((n / 5) % 5) {
            case 0 -> Action.internalError();
            case 1 -> Action.serviceUnavailable();
            case 2 -> Action.slowDown();
            case 3 -> Action.resetAfter(request.contentLength() / 2);
            default -> Action.stall(Duration.ofSeconds(2));
          };
        });
    Processor processor = pipeline.startProcessor("flaky");
    Map<String, Path> sent = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      long size = i % 8 == 0 ? 20 * MIB : 1000 + i * 997L;
      Path file = TestData.randomFile(files.resolve("flaky-" + i + ".bin"), size);
      pipeline.publish(UploadRequest.of("flaky-" + i, file.toString(), "flaky"));
      sent.put("flaky-" + i, file);
    }

    await().atMost(Duration.ofMinutes(4)).until(() -> pipeline.results().size() >= sent.size());

    List<UploadResult> results = pipeline.results();
    assertThat(results).hasSize(sent.size()).allMatch(UploadResult::succeeded);
    for (UploadResult result : results) {
      byte[] stored =
          pipeline
              .s3()
              .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
              .asByteArray();
      assertThat(stored).isEqualTo(Files.readAllBytes(sent.get(result.requestId())));
    }
    assertThat(faults.get()).as("faults injected").isGreaterThan(10);
    String scrape = OpsHttp.get(processor, "/metrics").body();
    assertThat(OpsHttp.value(scrape, "uploadstream_part_retries_total"))
        .as("retries are visible in the metrics")
        .isGreaterThan(0);
    assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
        .isEmpty();
  }

  @Test
  void storeDownFor30Seconds_requestsWait_andProcessingResumesByItself() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    store.rule(request -> down.get() ? Action.serviceUnavailable() : Action.forward());
    pipeline.set("upload.retry.max-attempts", "3").set("upload.retry.max-backoff", "1s");
    // The store is down from the start: the processor starts anyway (a down store is not a
    // configuration error) and waits for it.
    Processor processor = pipeline.startProcessor("outage");
    Map<String, Path> sent = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      Path file =
          TestData.randomFile(files.resolve("outage-" + i + ".bin"), i == 0 ? 12 * MIB : 5000);
      pipeline.publish(UploadRequest.of("outage-" + i, file.toString(), "outage"));
      sent.put("outage-" + i, file);
    }

    await()
        .during(Duration.ofSeconds(30))
        .atMost(Duration.ofSeconds(40))
        .until(() -> pipeline.results().isEmpty() && processor.isRunning());
    assertThat(OpsHttp.get(processor, "/health/ready").statusCode())
        .as("not ready while the bucket is unreachable")
        .isEqualTo(503);
    down.set(false);

    await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() >= sent.size());
    assertThat(pipeline.results()).hasSize(sent.size()).allMatch(UploadResult::succeeded);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> OpsHttp.get(processor, "/health/ready").statusCode() == 200);
  }
}
