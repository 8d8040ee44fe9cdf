package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.client.ConfigException;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.ops.OpsHttp;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share consumption ({@code processor.consumption=share}) on the real broker: many processors on
 * one partition, lock renewal through a long upload, the delivery limit, a refused group config.
 */
class ShareConsumptionIT {
  @TempDir Path files;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("processor.consumption", "share")
        .set("processor.uploads-in-flight", "1");
  }

  @AfterEach
  void close() throws Exception {
    pipeline.close();
    store.close();
  }

  @Test
  void threeProcessors_onePartition_allServe_andEachRequestHasOneOutcome() throws Exception {
    store.latency(Duration.ofMillis(150)); // an upload takes a moment: all three get work
    List<ShareRecorder> recorders =
        List.of(new ShareRecorder(), new ShareRecorder(), new ShareRecorder());
    for (int i = 0; i < recorders.size(); i++) {
      pipeline.startProcessor("share-" + i, recorders.get(i));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> recorders.stream().allMatch(ShareRecorder::joined));

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      Path file = TestData.randomFile(files.resolve("three-" + i + ".bin"), 8 * 1024 + i);
      pipeline.publish(UploadRequest.of("three-" + i, file.toString(), "three"));
      ids.add("three-" + i);
    }
    pipeline.publishRaw("garbage", "not json".getBytes(StandardCharsets.UTF_8));

    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> idsOf(pipeline.results()).containsAll(ids) && !pipeline.deadLetters().isEmpty());

    List<UploadResult> results = pipeline.results();
    assertThat(idsOf(results)).isEqualTo(ids);
    assertSameOutcomePerRequest(results);
    assertThat(results).allMatch(r -> r.status() == UploadResult.Status.SUCCEEDED);
    assertThat(pipeline.deadLetters()).hasSize(1);
    for (ShareRecorder recorder : recorders) {
      assertThat(recorder.accepted)
          .as("every member served some of one partition: " + recorder)
          .isNotEmpty();
    }
    assertThat(recorders.stream().mapToInt(r -> r.count(ShareRecordEvent.ACCEPTED)).sum())
        .isGreaterThanOrEqualTo(30);
    assertThat(recorders.stream().mapToInt(r -> r.count(ShareRecordEvent.REJECTED)).sum())
        .isEqualTo(1);
    UploadResult one = results.get(0);
    byte[] stored =
        pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(one.key())).asByteArray();
    assertThat(stored).isEqualTo(Files.readAllBytes(Path.of(one.filePath())));
  }

  @Test
  void anUploadLongerThanThreeLocks_keepsItsRecord_noOtherMemberGetsIt() throws Exception {
    pipeline.set("share.lock-duration", "2s");
    store.rule(
        request ->
            request.method().equals("PUT") && request.path().contains("long-upload")
                ? FaultInjectingProxy.Action.stall(Duration.ofSeconds(7))
                : FaultInjectingProxy.Action.forward());
    ShareRecorder first = new ShareRecorder();
    ShareRecorder second = new ShareRecorder();
    pipeline.startProcessor("renew-1", first);
    pipeline.startProcessor("renew-2", second);
    await().atMost(Duration.ofSeconds(60)).until(() -> first.joined() && second.joined());
    Path file = TestData.randomFile(files.resolve("long-upload.bin"), 64 * 1024);

    pipeline.publish(UploadRequest.of("long-1", file.toString(), "long"));

    await().atMost(Duration.ofSeconds(60)).until(() -> !pipeline.results().isEmpty());
    assertThat(pipeline.results())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(UploadResult.Status.SUCCEEDED));
    int acquired = first.count(ShareRecordEvent.ACQUIRED) + second.count(ShareRecordEvent.ACQUIRED);
    assertThat(acquired).as("never redelivered: " + first + " / " + second).isEqualTo(1);
    assertThat(first.count(ShareRecordEvent.RENEWED) + second.count(ShareRecordEvent.RENEWED))
        .as("renewed every third of the 2 s lock through 7 s")
        .isGreaterThanOrEqualTo(6);
    assertThat(first.count(ShareRecordEvent.LOCK_LOST) + second.count(ShareRecordEvent.LOCK_LOST))
        .isZero();
  }

  @Test
  void aRequestThatNeverFinishes_endsFailedAndDeadLettered_onItsLastAllowedDelivery()
      throws Exception {
    pipeline.set("share.delivery-limit", "2").set("share.stall-timeout", "1s");
    StoreGate gate = StoreGate.holding(store, request -> request.path().contains("stuck-upload"));
    try {
      ShareRecorder recorder = new ShareRecorder();
      pipeline.startProcessor("poison", recorder);
      await().atMost(Duration.ofSeconds(60)).until(recorder::joined);
      Path file = TestData.randomFile(files.resolve("stuck-upload.bin"), 4 * 1024);

      pipeline.publish(UploadRequest.of("stuck-1", file.toString(), "stuck"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !pipeline.results().isEmpty() && !pipeline.deadLetters().isEmpty());
      UploadResult result = pipeline.results().get(0);
      assertThat(pipeline.results()).hasSize(1);
      assertThat(result.status()).isEqualTo(UploadResult.Status.FAILED);
      assertThat(result.error().code()).isEqualTo(ErrorCode.DELIVERY_LIMIT_REACHED);
      assertThat(result.error().retryable()).isFalse();
      ConsumerRecord<byte[], byte[]> letter = pipeline.deadLetters().get(0);
      assertThat(
              new String(
                  letter.headers().lastHeader(ResultRecords.DLQ_REASON).value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("DELIVERY_LIMIT_REACHED");
      assertThat(recorder.count(ShareRecordEvent.RELEASED)).as(recorder.toString()).isEqualTo(1);
      assertThat(recorder.count(ShareRecordEvent.REJECTED)).isEqualTo(1);
    } finally {
      gate.open();
    }
  }

  @Test
  void aShutdownPastTheGrace_releasesTheRecord_andTheNextMemberServesIt() throws Exception {
    pipeline.set("processor.shutdown-grace", "1s");
    AtomicBoolean stalled = new AtomicBoolean();
    store.rule(
        request ->
            request.method().equals("PUT")
                    && request.path().contains("grace-upload")
                    && stalled.compareAndSet(false, true)
                ? FaultInjectingProxy.Action.stall(Duration.ofSeconds(8))
                : FaultInjectingProxy.Action.forward());
    ShareRecorder first = new ShareRecorder();
    Processor stopping = pipeline.startProcessor("grace-1", first);
    await().atMost(Duration.ofSeconds(60)).until(first::joined);
    Path file = TestData.randomFile(files.resolve("grace-upload.bin"), 32 * 1024);
    pipeline.publish(UploadRequest.of("grace-1", file.toString(), "grace"));
    await().atMost(Duration.ofSeconds(30)).until(stalled::get);

    stopping.stop();

    assertThat(stopping.awaitStopped(Duration.ofSeconds(15))).isTrue();
    assertThat(first.count(ShareRecordEvent.RELEASED)).as(first.toString()).isEqualTo(1);
    assertThat(pipeline.results()).isEmpty();
    ShareRecorder next = new ShareRecorder();
    pipeline.startProcessor("grace-2", next);
    await().atMost(Duration.ofSeconds(60)).until(() -> !pipeline.results().isEmpty());
    assertThat(pipeline.results())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(UploadResult.Status.SUCCEEDED));
    assertThat(next.count(ShareRecordEvent.ACCEPTED)).isEqualTo(1);
  }

  @Test
  void aConsumerGroupsId_isRefusedForShareConsumption_namingTheSetting() {
    ShareRecorder group = new ShareRecorder();
    pipeline.set("processor.consumption", "group").startProcessor("consumer-group", group);
    await().atMost(Duration.ofSeconds(60)).until(group::joined);
    pipeline.set("processor.consumption", "share");

    assertThatThrownBy(() -> pipeline.startProcessor("same-id"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.group.id")
        .hasMessageContaining(pipeline.group);
  }

  @Test
  void readiness_isJoiningTheShareGroup() {
    pipeline.set("metrics.port", "0"); // a free port
    Processor processor = pipeline.startProcessor("ready");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> OpsHttp.get(processor, "/health/ready").statusCode() == 200);
    assertThat(OpsHttp.get(processor, "/health/ready").body()).contains("joined");
  }

  @Test
  void aLockTheBrokerRefuses_stopsTheStart_namingTheSetting() {
    pipeline.set("share.lock-duration", "2m"); // the broker allows at most 60 s by default

    assertThatThrownBy(() -> pipeline.startProcessor("refused"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("share.lock-duration")
        .hasMessageContaining("share.record.lock.duration.ms");
  }

  private static Set<String> idsOf(List<UploadResult> results) {
    return results.stream().map(UploadResult::requestId).collect(Collectors.toSet());
  }

  /** Duplicates (a lost lock, a crash) are allowed when they say the same: only times differ. */
  /**
   * What a lost lock leads to — one request served by two members at once — staged without waiting
   * for a leader change: the same request (same id, same requestedAt) published twice, its
   * multipart upload slowed so both members upload it side by side. Both converge on one object
   * holding the file and answer results with the same content.
   */
  @Test
  void oneRequestServedTwiceAtOnce_convergesOnOneObject_andTheSameResult() throws Exception {
    pipeline.set("upload.part-size", "5MiB");
    store.rule(
        request ->
            request.method().equals("PUT") && request.path().contains("twice")
                ? FaultInjectingProxy.Action.stall(Duration.ofMillis(1500))
                : FaultInjectingProxy.Action.forward());
    ShareRecorder first = new ShareRecorder();
    ShareRecorder second = new ShareRecorder();
    pipeline.startProcessor("twice-1", first);
    pipeline.startProcessor("twice-2", second);
    await().atMost(Duration.ofSeconds(60)).until(() -> first.joined() && second.joined());
    Path file = TestData.randomFile(files.resolve("twice.bin"), 12 * 1024 * 1024);
    UploadRequest request =
        UploadRequest.of("twice-1", file.toString(), "twice")
            .withRequestedAt(java.time.Instant.parse("2026-12-06T12:00:00Z"));

    pipeline.publish(request);
    pipeline.publish(request);

    await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.results().size() >= 2);
    List<UploadResult> results = pipeline.results();
    assertThat(results).hasSize(2).allMatch(r -> r.status() == UploadResult.Status.SUCCEEDED);
    assertSameOutcomePerRequest(results);
    assertThat(first.accepted).as("both members served it").isNotEmpty();
    assertThat(second.accepted).as("both members served it").isNotEmpty();
    byte[] stored =
        pipeline
            .s3()
            .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(results.get(0).key()))
            .asByteArray();
    assertThat(stored).isEqualTo(Files.readAllBytes(file));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                pipeline
                    .s3()
                    .listMultipartUploads(b -> b.bucket(pipeline.bucket))
                    .uploads()
                    .isEmpty());
  }

  static void assertSameOutcomePerRequest(List<UploadResult> results) {
    Map<String, List<UploadResult>> byId =
        results.stream().collect(Collectors.groupingBy(UploadResult::requestId));
    byId.forEach(
        (id, outcomes) ->
            assertThat(outcomes).as(id).allMatch(outcome -> outcome.sameOutcome(outcomes.get(0))));
  }
}
