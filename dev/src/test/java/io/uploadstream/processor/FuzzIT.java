package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.testing.PipelineFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * 10,000 random and mutated request records through the real decoder and a real processor: it stays
 * up, every record ends as exactly one result or one dead letter, and nothing outside the allowed
 * root is ever read.
 */
class FuzzIT {
  private static final int RECORDS = 10_000;
  private static final String CANARY = "CANARY-OUTSIDE-THE-ROOT";

  @TempDir Path tmp;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void randomAndMutatedRecords_eachEndAsOneResultOrDeadLetter_andNothingOutsideTheRootIsRead()
      throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      targets.add(Files.writeString(root.resolve("in-" + i + ".txt"), "inside " + i).toString());
    }
    Path canary = Files.writeString(outside.resolve("canary.txt"), CANARY);
    Files.createSymbolicLink(root.resolve("link-out"), canary);
    targets.addAll(
        List.of(
            canary.toString(),
            root.resolve("link-out").toString(),
            root + "/../outside/canary.txt",
            "/etc/passwd",
            "/dev/zero",
            "/proc/self/environ",
            root.toString(),
            "relative/in-1.txt"));
    RecordFuzzer fuzzer = new RecordFuzzer(new Random(7), targets);
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(new SimpleEntry<>("fuzz-" + i, fuzzer.next(i)));
    }

    pipeline = PipelineFixture.onSharedStack(root, 4).set("processor.uploads-in-flight", "16");
    Processor processor = pipeline.startProcessor("fuzz");
    pipeline.publishAllRaw(records);

    await()
        .atMost(Duration.ofMinutes(5))
        .until(() -> outcomes(pipeline) >= RECORDS || !processor.isRunning());

    assertThat(processor.isRunning()).isTrue();
    assertThat(processor.failure()).isEmpty();
    int results = pipeline.resultRecords().size();
    int letters = pipeline.deadLetters().size();
    assertThat(outcomes(pipeline)).as("one outcome per record").isEqualTo(RECORDS);
    assertThat(results).as("valid requests were served").isGreaterThan(RECORDS / 10);
    assertThat(letters).as("broken records were dead-lettered").isGreaterThan(RECORDS / 10);
    for (S3Object object :
        pipeline.s3().listObjectsV2Paginator(b -> b.bucket(pipeline.bucket)).contents()) {
      String content =
          pipeline
              .s3()
              .getObjectAsBytes(b -> b.bucket(pipeline.bucket).key(object.key()))
              .asString(StandardCharsets.UTF_8);
      assertThat(content).as(object.key()).startsWith("inside ").doesNotContain(CANARY);
    }
  }

  /**
   * Records with an outcome: every result or dead letter is one, except the FAILED result that
   * answers a dead letter whose requestId was readable (both are that record's outcome).
   */
  private static int outcomes(PipelineFixture pipeline) {
    RequestDecoder decoder = new RequestDecoder();
    long answered =
        pipeline.deadLetters().stream()
            .filter(
                letter ->
                    decoder.decode(letter.value()) instanceof DecodeResult.Rejected rejected
                        && rejected.echo().isPresent())
            .count();
    return (int) (pipeline.resultRecords().size() + pipeline.deadLetters().size() - answered);
  }
}
