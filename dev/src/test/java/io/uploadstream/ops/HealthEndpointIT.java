package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/live} and {@code /health/ready} of a real processor, in both states each. */
class HealthEndpointIT {
  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @SuppressWarnings("try") // closing the stalled member mid-test is the point
  void ready_isDownUntilTheProcessorHasJoinedItsGroup_whileLiveIsUp() {
    pipeline = PipelineFixture.onSharedStack(files, 1).set("metrics.port", "0");
    // A member that stops polling holds up the next rebalance (for up to its poll interval), so
    // the processor cannot finish joining until it leaves.
    try (KafkaConsumer<byte[], byte[]> stalledMember = stalledMemberOf(pipeline.group)) {
      Processor processor = pipeline.startProcessor("health-join");

      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                HttpResponse<String> ready = OpsHttp.get(processor, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                // with size lanes (the default) the small and the large lane each join a group
                assertThat(ready.body()).contains("not joined the consumer groups yet");
                assertThat(OpsHttp.get(processor, "/health/live").statusCode()).isEqualTo(200);
              });

      stalledMember.close(); // leaves the group: the rebalance completes

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> ready = OpsHttp.get(processor, "/health/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"UP\"");
              });
    }
  }

  @Test
  void ready_isDownWhileTheBucketIsUnreachable_andUpAgainWhenItAnswers() throws Exception {
    try (FaultInjectingProxy store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint())) {
      pipeline =
          PipelineFixture.onSharedStack(files, 1)
              .set("metrics.port", "0")
              .set("s3.endpoint", store.endpoint().toString());
      Processor processor = pipeline.startProcessor("health-bucket");
      awaitReady(processor, 200);

      store.rule(
          request ->
              request.method().equals("HEAD")
                  ? FaultInjectingProxy.Action.serviceUnavailable()
                  : FaultInjectingProxy.Action.forward());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                HttpResponse<String> ready = OpsHttp.get(processor, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("bucket '" + pipeline.bucket + "' unreachable");
              });
      assertThat(OpsHttp.get(processor, "/health/live").statusCode()).isEqualTo(200);

      store.rule(FaultInjectingProxy.Rule.FORWARD_ALL);

      awaitReady(processor, 200);
    }
  }

  @Test
  void live_andReady_areDownOnceTheLoopHasStopped() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1).set("metrics.port", "0");
    Processor processor = pipeline.startProcessor("health-stop");
    awaitReady(processor, 200);
    assertThat(OpsHttp.get(processor, "/health/live").statusCode()).isEqualTo(200);

    processor.stop();
    assertThat(processor.awaitStopped(Duration.ofSeconds(30))).isTrue();

    HttpResponse<String> live = OpsHttp.get(processor, "/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).contains("processor loop stopped");
    assertThat(OpsHttp.get(processor, "/health/ready").statusCode()).isEqualTo(503);
  }

  private static void awaitReady(Processor processor, int status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> ready = OpsHttp.get(processor, "/health/ready");
              assertThat(ready.statusCode()).as(ready.body()).isEqualTo(status);
            });
  }

  /** A member of {@code group} that got its partitions and then stopped polling. */
  private KafkaConsumer<byte[], byte[]> stalledMemberOf(String group) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedStack.get().kafka().bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
            120_000,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(pipeline.requests));
    await()
        .pollInSameThread() // a KafkaConsumer belongs to one thread
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100));
              return !consumer.assignment().isEmpty();
            });
    return consumer;
  }
}
