package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker (a child JVM) is killed and restarted mid-run: nothing lost, nothing duplicated. */
class BrokerRestartIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  @TempDir Path work;

  @Test
  void brokerKilledAndRestartedMidRun_everyRequestGetsExactlyOneResult() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path data = work.resolve("kafka");
    ChildProcess broker = startBroker(data, port, 1);
    EmbeddedS3 s3 = SharedStack.get().s3();
    Set<String> ids = new HashSet<>();
    try (PipelineFixture pipeline =
        new PipelineFixture(
            "127.0.0.1:" + port, s3.endpoint(), s3.accessKey(), s3.secretKey(), files, 3)) {
      Random random = new Random(3);
      for (int i = 0; i < 150; i++) {
        long size = i % 25 == 0 ? 12 * MIB : random.nextInt(128 * 1024);
        Path file = TestData.randomFile(files.resolve("r-" + i + ".bin"), size);
        pipeline.publish(UploadRequest.of("restart-" + i, file.toString(), "restart"));
        ids.add("restart-" + i);
      }
      Processor processor = pipeline.startProcessor("survivor");
      await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.results().size() >= 30);

      broker.kill();
      broker = startBroker(data, port, 2);

      await()
          .atMost(Duration.ofMinutes(4))
          .until(() -> pipeline.results().size() >= ids.size() || !processor.isRunning());
      assertThat(processor.failure()).isEmpty();
      assertThat(processor.isRunning()).isTrue();
      List<UploadResult> results = pipeline.results();
      assertThat(results).extracting(UploadResult::requestId).doesNotHaveDuplicates();
      assertThat(results.stream().map(UploadResult::requestId).collect(Collectors.toSet()))
          .isEqualTo(ids);
      assertThat(results).allMatch(UploadResult::succeeded);
    } finally {
      broker.close();
    }
  }

  private ChildProcess startBroker(Path data, int port, int run) {
    ChildProcess broker =
        ChildProcess.mainClass(
            work.resolve("broker-" + run + ".log"),
            List.of("-Xmx512m"),
            "io.uploadstream.dev.EmbeddedKafka",
            data.toString(),
            String.valueOf(port));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> broker.output().contains("READY") || !broker.isAlive());
    assertThat(broker.isAlive()).as(broker.output()).isTrue();
    return broker;
  }
}
