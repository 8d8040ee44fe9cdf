package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small file's result does not wait behind a big upload of the same partition (exactly-once): the
 * big request is handed to the large-file lane, in the same transaction as its offset, and served
 * there, while the small one is answered at once.
 */
class HeadOfLineIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("processor.delivery", "exactly-once")
        .set("processor.large-file-threshold", "16MiB");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    store.close();
  }

  @Test
  void smallFileBehindABigUploadOfItsPartition_isCommittedWhileTheBigUploadStillRuns()
      throws Exception {
    FaultInjectingProxy.Gauge parts = store.track(FaultInjectingProxy.Request::isUploadPart);
    StoreGate gate = StoreGate.holding(store, FaultInjectingProxy.Request::isUploadPart);
    pipeline.startProcessor("hol");
    Path big = TestData.randomFile(files.resolve("big.bin"), 20 * MIB);
    Path small = TestData.randomFile(files.resolve("small.bin"), 1024);
    // No requestedAt: the key comes from the record's timestamp, which the hand-off must carry.
    UploadRequest bigRequest =
        new UploadRequest(1, "big-1", big.toString(), "hol", null, null, null, Map.of());
    RecordMetadata bigRecord = pipeline.publish(bigRequest, 0);
    await().atMost(Duration.ofSeconds(60)).until(() -> parts.inFlight() > 0);

    pipeline.publish(UploadRequest.of("small-1", small.toString(), "hol"), 0);

    await().atMost(Duration.ofSeconds(20)).until(() -> result("small-1").isPresent());
    assertThat(result("small-1").orElseThrow().succeeded()).isTrue();
    assertThat(parts.inFlight()).as("the big upload is still held at the store").isPositive();
    assertThat(result("big-1")).as("the big upload has not finished").isEmpty();

    gate.open();
    await().atMost(Duration.ofSeconds(60)).until(() -> result("big-1").isPresent());
    UploadResult bigResult = result("big-1").orElseThrow();
    assertThat(bigResult.succeeded()).as(bigResult.toString()).isTrue();
    assertThat(bigResult.partCount()).isEqualTo(3);
    assertThat(bigResult.key())
        .as("the same key as without the hand-off: from the original record's timestamp")
        .isEqualTo(ObjectKeys.key("hol", Instant.ofEpochMilli(bigRecord.timestamp()), "big.bin"));
    assertThat(pipeline.results())
        .extracting(UploadResult::requestId)
        .containsExactlyInAnyOrder("small-1", "big-1");
  }

  private Optional<UploadResult> result(String requestId) {
    return pipeline.results().stream().filter(r -> r.requestId().equals(requestId)).findFirst();
  }
}
