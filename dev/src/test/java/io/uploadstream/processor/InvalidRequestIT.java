package io.uploadstream.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.CapturedLogs;
import io.uploadstream.testing.PipelineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that is valid JSON with a usable requestId but not a valid request: its caller, waiting
 * on that id, gets a FAILED result, and the record still goes to the dead-letter topic.
 */
class InvalidRequestIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path files;
  private PipelineFixture pipeline;

  @BeforeEach
  void pipeline() {
    pipeline = PipelineFixture.onSharedStack(files, 1); // one partition: records in order
  }

  @AfterEach
  void close() {
    pipeline.close();
  }

  @Test
  void schemaViolation_withAReadableRequestId_isAnsweredAndDeadLettered_andLoggedOnce() {
    try (CapturedLogs outcomes = CapturedLogs.of("io.uploadstream.ops.OutcomeLog", Level.INFO)) {
      pipeline.startProcessor("invalid-1");
      String snakeCase = "{\"requestId\":\"snake-1\",\"file_path\":\"/data/a.png\"}";
      pipeline.publishRaw("snake-1", snakeCase.getBytes(UTF_8));
      pipeline.publishRaw("nobody", "{\"file_path\":\"/data/b.png\"}".getBytes(UTF_8));
      pipeline.publish(UploadRequest.of("after-1", files.resolve("none.png").toString(), "tmp"));

      await().atMost(WAIT).until(() -> pipeline.results().size() >= 2);

      List<UploadResult> results = pipeline.results();
      assertThat(results).extracting(UploadResult::requestId).containsExactly("snake-1", "after-1");
      UploadResult answer = results.get(0);
      assertThat(answer.status()).isEqualTo(UploadResult.Status.FAILED);
      assertThat(answer.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(answer.error().message())
          .contains("required property 'filePath' not found")
          .contains("required property 'prefix' not found");
      assertThat(answer.error().retryable()).isFalse();
      assertThat(answer.filePath()).isNull(); // it sent file_path, which is not the field

      List<ConsumerRecord<byte[], byte[]>> letters = pipeline.deadLetters();
      assertThat(letters).hasSize(2);
      assertThat(new String(letters.get(0).value(), UTF_8)).isEqualTo(snakeCase);
      assertThat(header(letters.get(0), "upload-stream.dlq.reason")).isEqualTo("SCHEMA_VIOLATION");
      assertThat(header(letters.get(0), "upload-stream.dlq.message"))
          .isEqualTo(answer.error().message());

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(outcomes.messages())
                      .filteredOn(line -> line.startsWith("request snake-1 "))
                      .containsExactly(
                          "request snake-1 FAILED code=INVALID_REQUEST key=null size=null"
                              + " durationMs=0 lane=small"));
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), UTF_8);
  }
}
