package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One object the store always fails (S3Proxy's 500 for a file name over 255 bytes, here injected
 * for one key) while the store answers everything else: that is not an outage, so the request fails
 * at once instead of holding its partition for {@code processor.storage-outage-wait}.
 */
class PoisonedObjectIT {
  private static final Duration OUTAGE_WAIT = Duration.ofSeconds(60);

  @TempDir Path files;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    store.rule(
        request ->
            request.path().contains("bad-object") ? Action.internalError() : Action.forward());
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("processor.storage-outage-wait", OUTAGE_WAIT.toSeconds() + "s")
        .set("upload.retry.max-attempts", "2")
        .set("upload.retry.max-backoff", "1s");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    store.close();
  }

  @Test
  void oneObjectTheStoreAlwaysFails_whileTheStoreIsUp_failsAtOnce_andTheNextRequestIsNotHeld()
      throws Exception {
    pipeline.startProcessor("poisoned");
    Path bad = TestData.randomFile(files.resolve("bad-object.bin"), 5000);
    Path good = TestData.randomFile(files.resolve("good.bin"), 5000);
    pipeline.publish(UploadRequest.of("bad", bad.toString(), "poisoned"), 0);
    pipeline.publish(UploadRequest.of("good", good.toString(), "poisoned"), 0);

    assertBothAnsweredSoon_badFailedSayingTheStoreIsUp();
  }

  @Test
  void keyWithALastSegmentOver255Bytes_onS3ProxysFilesystemStore_failsAtOnce() throws Exception {
    pipeline.startProcessor("long-name");
    // 254 bytes: a name the local disk holds; with the key's timestamp prefix it is 269 bytes,
    // which S3Proxy's filesystem store answers with 500 (File name too long) every time.
    Path bad = TestData.randomFile(files.resolve("\u00e9".repeat(125) + ".pdf"), 5000);
    Path good = TestData.randomFile(files.resolve("good.pdf"), 5000);
    pipeline.publish(UploadRequest.of("bad", bad.toString(), "long"), 0);
    pipeline.publish(UploadRequest.of("good", good.toString(), "long"), 0);

    assertBothAnsweredSoon_badFailedSayingTheStoreIsUp();
  }

  private void assertBothAnsweredSoon_badFailedSayingTheStoreIsUp() {
    // Far less than the outage wait: two attempts at the bad object and a check of the bucket.
    await()
        .atMost(OUTAGE_WAIT.dividedBy(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> pipeline.results().size() >= 2);

    Map<String, UploadResult> results =
        pipeline.results().stream()
            .collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
    assertThat(results.get("good").succeeded()).isTrue();
    UploadResult failed = results.get("bad");
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.error().code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.error().message())
        .contains("the store is up")
        .contains("this object kept failing");
  }
}
