package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The processor end to end on a real broker and a real S3 server in this JVM. */
class ProcessorIT extends PipelineScenarios {
  @Override
  PipelineFixture newPipeline(Path files, int partitions) {
    return PipelineFixture.onSharedStack(files, partitions);
  }

  @Test
  void twoInstances_splitThePartitions_andTheSurvivorFinishesWhenOneStops() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 6);
    List<Set<?>> assignmentsA = new ArrayList<>();
    List<Set<?>> assignmentsB = new ArrayList<>();
    Processor a = pipeline.startProcessor("a", recordAssignments(assignmentsA));
    Processor b = pipeline.startProcessor("b", recordAssignments(assignmentsB));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                last(assignmentsA) + last(assignmentsB) == 6
                    && last(assignmentsA) > 0
                    && last(assignmentsB) > 0);

    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 120; i++) {
      Path file = randomFile("split-" + i + ".bin", 16 * 1024 + i);
      pipeline.publish(UploadRequest.of("split-" + i, file.toString(), "split"));
      ids.add("split-" + i);
      if (i == 40) {
        a.stop(); // mid-run: its in-flight work finishes or is left for b
      }
    }

    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                pipeline.results().stream()
                    .map(UploadResult::requestId)
                    .collect(Collectors.toSet())
                    .containsAll(ids));
    assertThat(a.awaitStopped(Duration.ofSeconds(30))).isTrue();
    assertThat(a.failure()).isEmpty();
    assertThat(last(assignmentsB)).isEqualTo(6);
    assertThat(pipeline.results()).extracting(UploadResult::requestId).doesNotHaveDuplicates();
    assertThat(b.isRunning()).isTrue();
  }

  @Test
  void uploadLongerThanMaxPollInterval_doesNotTriggerARebalance() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2);
    try (FaultInjectingProxy slowStore =
        FaultInjectingProxy.start(SharedStack.get().s3().endpoint())) {
      slowStore.rule(
          r ->
              r.isUploadPart()
                  ? FaultInjectingProxy.Action.stall(Duration.ofSeconds(3))
                  : FaultInjectingProxy.Action.forward());
      pipeline
          .set("s3.endpoint", slowStore.endpoint().toString())
          .set("kafka.max.poll.interval.ms", "2000")
          .set("upload.parts-in-flight", "1");
      List<Set<?>> assignments = new ArrayList<>();
      pipeline.startProcessor("slow", recordAssignments(assignments));
      await().atMost(Duration.ofSeconds(60)).until(() -> last(assignments) == 2);
      Path file = randomFile("slow.bin", 20 * MIB);

      pipeline.publish(UploadRequest.of("slow-1", file.toString(), "slow"));
      Map<String, UploadResult> results = awaitResults(1);

      // 3 parts, one at a time, each stalled 3 s: ≥ 9 s, far past max.poll.interval.ms = 2 s
      assertThat(results.get("slow-1").status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(results.get("slow-1").partCount()).isEqualTo(3);
      assertThat(
              Duration.between(
                  results.get("slow-1").startedAt(), results.get("slow-1").completedAt()))
          .isGreaterThan(Duration.ofSeconds(8));
      synchronized (assignments) {
        assertThat(assignments).as("no revocation, no second assignment").hasSize(1);
      }
      assertThat(pipeline.results()).hasSize(1);
    }
  }

  @Test
  void atLeastOnceDelivery_oneResultPerRequest_oneDeadLetterPerBadRecord_andOffsetsCommitted()
      throws Exception {
    // One partition: a processor that starts after the first one stopped works through it in
    // order, so a record replayed for want of a committed offset would answer before the new one.
    pipeline = PipelineFixture.onSharedStack(files, 1).set("processor.delivery", "at-least-once");
    Processor first = pipeline.startProcessor("alo-1");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      if (i % 4 == 3) {
        pipeline.publishRaw("bad-" + i, "{not json".getBytes(StandardCharsets.UTF_8));
      } else if (i % 4 == 2) {
        pipeline.publish(
            UploadRequest.of("alo-missing-" + i, files.resolve("nope-" + i).toString(), "alo"));
        ids.add("alo-missing-" + i);
      } else {
        Path file = randomFile("alo-" + i + ".bin", 8 * 1024 + i);
        pipeline.publish(UploadRequest.of("alo-" + i, file.toString(), "alo"));
        ids.add("alo-" + i);
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> pipeline.results().size() >= ids.size() && pipeline.deadLetters().size() >= 10);
    first.stop();
    assertThat(first.awaitStopped(Duration.ofSeconds(30))).isTrue();
    assertThat(first.failure()).isEmpty();

    pipeline.set("processor.uploads-in-flight", "1");
    pipeline.startProcessor("alo-2");
    Path last = randomFile("alo-last.bin", 4096);
    pipeline.publish(UploadRequest.of("alo-last", last.toString(), "alo"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pipeline.results().stream().anyMatch(r -> r.requestId().equals("alo-last")));

    List<UploadResult> results = pipeline.results();
    assertThat(results).extracting(UploadResult::requestId).doesNotHaveDuplicates();
    assertThat(results).hasSize(ids.size() + 1);
    assertThat(pipeline.deadLetters()).hasSize(10);
    Map<String, UploadResult> byId =
        results.stream().collect(Collectors.toMap(UploadResult::requestId, r -> r));
    assertThat(byId.get("alo-0").status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(byId.get("alo-missing-2").error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
    assertThat(byId.get("alo-last").status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(
            pipeline
                .s3()
                .headObject(h -> h.bucket(pipeline.bucket).key(byId.get("alo-0").key()))
                .contentLength())
        .isEqualTo(8 * 1024);
  }

  private static ProcessorListener recordAssignments(List<Set<?>> sink) {
    return new ProcessorListener() {
      @Override
      public void assignmentChanged(Set<org.apache.kafka.common.TopicPartition> assigned) {
        synchronized (sink) {
          sink.add(Set.copyOf(assigned));
        }
      }
    };
  }

  private static int last(List<Set<?>> assignments) {
    synchronized (assignments) {
      return assignments.isEmpty() ? 0 : assignments.get(assignments.size() - 1).size();
    }
  }
}
