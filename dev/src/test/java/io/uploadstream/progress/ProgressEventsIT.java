package io.uploadstream.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.client.ProgressReader;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.EventSchemas;
import io.uploadstream.contract.UploadProgress;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.Names;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress events of a real processor, read back with the client's {@link ProgressReader}. */
class ProgressEventsIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void multipartUpload_sendsProgressFromZeroToTheFileSize_atEachTenth() throws Exception {
    String progressTopic = Names.unique("progress");
    SharedStack.get().kafka().createTopics(List.of(new NewTopic(progressTopic, 1, (short) 1)));
    try (FaultInjectingProxy store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint())) {
      // Parts take a while, so the upload spans more than one rate-limit interval.
      store.rule(
          request ->
              request.isUploadPart()
                  ? FaultInjectingProxy.Action.stall(Duration.ofMillis(700))
                  : FaultInjectingProxy.Action.forward());
      pipeline =
          PipelineFixture.onSharedStack(files, 1)
              .set("topics.progress", progressTopic)
              .set("upload.part-size", "5MiB")
              .set("s3.endpoint", store.endpoint().toString());
      pipeline.startProcessor("progress-1");
      Path file = randomFile("forty.bin", 40 * MIB); // 8 parts, 4 in flight: two waves
      List<UploadProgress> events = new ArrayList<>();

      try (ProgressReader reader = ProgressReader.fromEnd(pipeline.settings("reader").client())) {
        pipeline.publish(UploadRequest.of("progress-req", file.toString(), "tmp"));
        await()
            .pollInSameThread()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  reader.poll(Duration.ofMillis(200)).stream()
                      .filter(e -> e.requestId().equals("progress-req"))
                      .forEach(events::add);
                  return !events.isEmpty() && events.get(events.size() - 1).allBytesDone();
                });
      }

      assertThat(events.get(0).bytesDone()).isZero();
      assertThat(events).extracting(UploadProgress::bytesDone).isSorted();
      assertThat(events).extracting(UploadProgress::totalBytes).containsOnly(40 * MIB);
      assertThat(events).extracting(UploadProgress::partCount).containsOnly(8);
      assertThat(events.get(events.size() - 1).partsDone()).isEqualTo(8);
      // Each 5 MiB part is 12.5 %: every part passes another tenth, so each sends an event.
      assertThat(events)
          .extracting(UploadProgress::bytesDone)
          .containsExactly(
              0L, 5 * MIB, 10 * MIB, 15 * MIB, 20 * MIB, 25 * MIB, 30 * MIB, 35 * MIB, 40 * MIB);
      ObjectMapper json = new ObjectMapper();
      for (UploadProgress event : events) {
        assertThat(
                EventSchemas.fromClasspath()
                    .validateProgress(json.readTree(EventCodec.encode(event))))
            .isEmpty();
      }
    }
  }

  @Test
  void withoutAProgressTopic_noProgressIsSent_andUploadsWorkAsBefore() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    assertThat(pipeline.settings("p").topics().progress()).isEqualTo(Optional.empty());
    pipeline.startProcessor("progress-off");
    Path file = randomFile("small.bin", 1000);

    pipeline.publish(UploadRequest.of("no-progress", file.toString(), "tmp"));

    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.results().size() == 1);
    assertThat(pipeline.results().get(0).succeeded()).isTrue();
  }

  private Path randomFile(String name, long size) throws Exception {
    byte[] bytes = new byte[(int) size];
    new Random(size).nextBytes(bytes);
    return Files.write(files.resolve(name), bytes);
  }
}
