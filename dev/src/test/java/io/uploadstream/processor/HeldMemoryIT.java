package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.FaultInjectingProxy;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once mode holds every result and dead letter behind the oldest unfinished upload of its
 * partition. A processor with a 256 MiB heap, one upload that does not finish, and 600 dead letters
 * of ~1 MiB behind it: the held bytes stay within the budget (the partition pauses), the processor
 * neither runs out of memory nor restarts, and once the upload finishes every record ends as
 * exactly one result or dead letter.
 */
class HeldMemoryIT {
  private static final Logger log = LoggerFactory.getLogger(HeldMemoryIT.class);
  private static final int JUNK_RECORDS = 600;
  private static final int JUNK_BYTES = 1_000_000;

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private FaultInjectingProxy store;
  private StoreGate release;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    store = FaultInjectingProxy.start(SharedStack.get().s3().endpoint());
    // Every object write waits for the release: the first request's upload cannot finish.
    release = StoreGate.holding(store, request -> request.method().equals("PUT"));
    pipeline
        .set("s3.endpoint", store.endpoint().toString())
        .set("processor.delivery", "exactly-once")
        .set("processor.uploads-in-flight", "2")
        .set("metrics.port", "0");
  }

  @AfterEach
  void close() throws Exception {
    release.open();
    pipeline.close();
    store.close();
  }

  @Test
  void neverFinishingUpload_then600OneMiBDeadLetters_heapOf256MiB_noOutOfMemory_everyRecordOnce()
      throws Exception {
    Path file = TestData.randomFile(files.resolve("stuck.bin"), 4096);
    Path config = pipeline.writeConfig(work.resolve("held.properties"), "held-memory");
    Files.deleteIfExists(logs().resolve("processor.log")); // from an earlier run
    try (ChildProcess processor =
        ChildProcess.uploadStream(
            logs().resolve("processor.log"),
            List.of(
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + logs().resolve("gc.log")),
            Map.of(),
            "run",
            "--config",
            config.toString())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> processor.output().contains("assigned [") || !processor.isAlive());
      pipeline.publish(UploadRequest.of("stuck-1", file.toString(), "held"));
      publishJunk();

      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> !processor.isAlive() || processor.output().contains("held-bytes budget"));
      assertThat(processor.isAlive()).as(tail(processor)).isTrue();
      assertThat(liveStatus(processor)).as("the loop still polls").isEqualTo(200);
      assertThat(deadLetterOffsets()).as("everything waits behind the upload").isEmpty();

      release.open();
      await()
          .atMost(Duration.ofMinutes(5))
          .until(() -> !processor.isAlive() || deadLetterOffsets().size() >= JUNK_RECORDS);

      assertThat(processor.isAlive()).as(tail(processor)).isTrue();
      assertThat(processor.output()).doesNotContain("OutOfMemoryError");
      assertThat(processor.output().split("processor held-memory started", -1))
          .as("started once, never restarted")
          .hasSize(2);
      List<UploadResult> results = pipeline.results();
      assertThat(results).extracting(UploadResult::requestId).containsExactly("stuck-1");
      assertThat(results.get(0).status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      List<Long> offsets = deadLetterOffsets();
      assertThat(offsets).doesNotHaveDuplicates().hasSize(JUNK_RECORDS);
      assertThat(new HashSet<>(offsets)).isEqualTo(expectedJunkOffsets());
    }
  }

  private void publishJunk() {
    byte[] junk = new byte[JUNK_BYTES];
    Arrays.fill(junk, (byte) 'x'); // not JSON: a dead letter of its full size
    List<Map.Entry<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < JUNK_RECORDS; i++) {
      records.add(new AbstractMap.SimpleEntry<>("junk-" + i, junk));
    }
    pipeline.publishAllRaw(records);
    log.info("published {} records of {} bytes", JUNK_RECORDS, JUNK_BYTES);
  }

  private static Set<Long> expectedJunkOffsets() {
    Set<Long> offsets = new HashSet<>();
    for (long offset = 1; offset <= JUNK_RECORDS; offset++) {
      offsets.add(offset);
    }
    return offsets;
  }

  /** The source offsets of the committed dead letters, read without keeping their values. */
  private List<Long> deadLetterOffsets() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedStack.get().kafka().bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    List<Long> offsets = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(pipeline.deadLetters, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          byte[] offset = record.headers().lastHeader(ResultRecords.DLQ_SOURCE_OFFSET).value();
          offsets.add(Long.parseLong(new String(offset, StandardCharsets.UTF_8)));
        }
      }
    }
    return offsets;
  }

  private static int liveStatus(ChildProcess processor) throws Exception {
    Matcher port = Pattern.compile("metrics and health on port (\\d+)").matcher(processor.output());
    assertThat(port.find()).as("the processor logged its metrics port").isTrue();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port.group(1) + "/health/live"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  /** The child's log and GC log stay under target/ for a failure to be read afterwards. */
  private static Path logs() throws java.io.IOException {
    Path dir = Path.of("target", "held-memory-logs");
    Files.createDirectories(dir);
    return dir;
  }

  private static String tail(ChildProcess processor) {
    String output = processor.output();
    return output.substring(Math.max(0, output.length() - 4000));
  }
}
