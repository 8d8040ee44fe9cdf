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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second processor joins while the first is half-way through two 200 MiB uploads, one on each
 * partition, so the cooperative rebalance moves one of them for sure. The moved upload is handed
 * over with its stored parts — not aborted — and the new owner resumes it: counted at the store, no
 * part is sent twice but those in flight at the move.
 */
class RebalanceHandoverIT {
  private static final Logger log = LoggerFactory.getLogger(RebalanceHandoverIT.class);
  private static final long MIB = 1024 * 1024;
  private static final int PARTS_PER_FILE = 25; // 200 MiB in 8 MiB parts
  private static final int PARTS_BEFORE_THE_GATE = 8;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;
  private FaultInjectingProxy.Gauge uploadParts;
  private StoreGate gate;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    uploadParts = store.track(FaultInjectingProxy.Request::isUploadPart);
    // The uploads stop at part 9 until the test has seen the partition move.
    gate =
        StoreGate.holding(store, r -> r.isUploadPart() && r.partNumber() > PARTS_BEFORE_THE_GATE);
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("upload.parts-in-flight", "2")
        .set("processor.revocation-grace", "1s");
  }

  @AfterEach
  void close() throws Exception {
    gate.open();
    pipeline.close();
    store.close();
  }

  @Test
  void secondInstanceJoinsMidUpload_theMovedUploadIsResumed_noPartSentTwiceButThoseInFlight()
      throws Exception {
    Path first = TestData.randomFile(files.resolve("big-0.bin"), 200 * MIB);
    Path second = TestData.randomFile(files.resolve("big-1.bin"), 200 * MIB);
    try (ChildProcess owner = startProcessor("owner");
        ChildProcess joiner = awaitHalfWay(owner, first, second)) {
      Matcher moved =
          Pattern.compile("assigned \\[" + Pattern.quote(pipeline.requests) + "-(\\d)\\]")
              .matcher("");
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> moved.reset(joiner.output()).find() || !joiner.isAlive());
      int inFlightAtTheMove = uploadParts.inFlight();
      log.info(
          "partition {} moved with {} parts stored and {} in flight",
          moved.group(1),
          uploadParts.count() - inFlightAtTheMove,
          inFlightAtTheMove);
      assertThat(owner.output()).contains("revoking [" + pipeline.requests + "-" + moved.group(1));
      gate.open();

      await().atMost(Duration.ofMinutes(3)).until(() -> pipeline.results().size() >= 2);
      assertThat(owner.terminate(Duration.ofSeconds(60))).as(owner.output()).isZero();
      assertThat(joiner.terminate(Duration.ofSeconds(60))).as(joiner.output()).isZero();

      List<UploadResult> results = pipeline.results();
      assertThat(results)
          .extracting(UploadResult::requestId)
          .containsExactlyInAnyOrder("big-0", "big-1");
      for (UploadResult result : results) {
        assertThat(result.status()).as(result.toString()).isEqualTo(UploadResult.Status.SUCCEEDED);
        Path file = result.requestId().equals("big-0") ? first : second;
        byte[] stored =
            pipeline
                .s3()
                .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(result.key()))
                .asByteArray();
        assertThat(stored).as(result.key()).isEqualTo(Files.readAllBytes(file));
      }
      assertThat(uploadParts.count())
          .as("UploadPart requests: every part once, plus those in flight at the move")
          .isLessThanOrEqualTo(2 * PARTS_PER_FILE + inFlightAtTheMove);
      assertThat(pipeline.s3().listMultipartUploads(b -> b.bucket(pipeline.bucket)).uploads())
          .as("nothing left incomplete")
          .isEmpty();
    }
  }

  /** Publishes one upload per partition, waits until both stop at the gate, starts the joiner. */
  private ChildProcess awaitHalfWay(ChildProcess owner, Path first, Path second) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> assignedPartitions(owner.output()).size() == 2 || !owner.isAlive());
    pipeline.publish(UploadRequest.of("big-0", first.toString(), "handover"), 0);
    pipeline.publish(UploadRequest.of("big-1", second.toString(), "handover"), 1);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                uploadParts.count() >= 2 * PARTS_BEFORE_THE_GATE + 4
                    && uploadParts.inFlight() >= 4);
    return startProcessor("joiner");
  }

  private Set<String> assignedPartitions(String output) {
    Matcher assigned = Pattern.compile(Pattern.quote(pipeline.requests) + "-\\d").matcher(output);
    return assigned.results().map(m -> m.group()).collect(Collectors.toSet());
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
