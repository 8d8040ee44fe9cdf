package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast the group recovers from a SIGKILL, measured from outside: two processors (child JVMs of
 * the packaged jar, default Kafka settings) share a steady stream of small requests on two
 * partitions; one is killed. Time to resume = from the kill to the first committed result (as a
 * {@code read_committed} reader sees it) of a request published after the kill, on the killed
 * instance's partition — the survivor must notice the death, take the partition over and get past
 * any transaction the dead instance left open.
 */
class RecoveryIT {
  private static final Duration TARGET = Duration.ofSeconds(10);

  @TempDir Path files;
  @TempDir Path work;
  private PipelineFixture pipeline;
  private Path file;
  private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
  private final Map<String, Instant> publishedAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> committedAt = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sequence = new AtomicInteger();
  private Thread load;
  private Thread reader;

  @BeforeEach
  void pipeline() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 2);
    file = Files.writeString(files.resolve("small.txt"), "a small file");
  }

  @AfterEach
  void close() throws Exception {
    running.set(false);
    if (load != null) {
      load.join(TimeUnit.SECONDS.toMillis(10));
    }
    if (reader != null) {
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
    pipeline.close();
  }

  @Test
  void sigkillOneOfTwo_theOtherResumesItsPartitionWithinTenSeconds() throws Exception {
    try (ChildProcess alpha = startProcessor("alpha");
        ChildProcess beta = startProcessor("beta")) {
      int alphasPartition = awaitOnePartitionEach(alpha, beta);
      startLoadAndReader();

      Instant kill = Instant.now();
      alpha.kill();
      Duration resumed = awaitFirstResultAfter(kill, alphasPartition);
      Duration anyResult = awaitFirstResultAfter(kill, 1 - alphasPartition);

      System.out.printf(
          "RecoveryIT: SIGKILL -> first committed result %d ms (moved partition), %d ms (other)%n",
          resumed.toMillis(), anyResult.toMillis());
      assertThat(resumed).as(beta.output()).isLessThanOrEqualTo(TARGET);
      assertThat(anyResult).isLessThanOrEqualTo(TARGET);
    }
  }

  /**
   * Static membership: an instance that comes back under the same {@code processor.instance-id}
   * before its session expires is handed its partitions again, and the group does not rebalance. A
   * child JVM takes 5–10 s to start on this shared 2-core machine, longer than the default 6 s
   * session, so this test gives the session 20 s (README: what to tune).
   */
  @Test
  void sigkillThenRestartWithTheSameInstanceId_takesItsPartitionBack_theOtherIsNotDisturbed()
      throws Exception {
    pipeline.set("kafka.session.timeout.ms", "20000");
    try (ChildProcess beta = startProcessor("beta");
        ChildProcess alpha = startProcessor("alpha")) {
      int alphasPartition = awaitOnePartitionEach(alpha, beta);
      startLoadAndReader();
      int betaLogBefore = beta.output().length();

      Instant kill = Instant.now();
      alpha.kill();
      try (ChildProcess restarted = startProcessor("alpha")) {
        Duration rejoined = Duration.between(kill, Instant.now());
        Duration resumed = awaitFirstResultAfter(kill, alphasPartition);
        System.out.printf(
            "RecoveryIT: SIGKILL + restart with the same instance id (session 20 s) -> rejoined"
                + " after %d ms, first committed result %d ms%n",
            rejoined.toMillis(), resumed.toMillis());

        assertThat(restarted.output())
            .as("took its own partition back")
            .contains("assigned [" + pipeline.requests + "-" + alphasPartition + "]");
        String betaSince = beta.output().substring(betaLogBefore);
        assertThat(betaSince).as("the survivor gave nothing up").doesNotContain("revoking");
        assertThat(betaSince)
            .as("nor was it handed the partition of the instance that came back")
            .doesNotContain("assigned [" + pipeline.requests + "-" + alphasPartition);
      }
    }
  }

  /** Waits until each processor owns one partition (as the group says); returns the first one's. */
  private int awaitOnePartitionEach(ChildProcess first, ChildProcess second) throws Exception {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                !first.isAlive()
                    || !second.isAlive()
                    || (assignment("alpha").size() == 1 && assignment("beta").size() == 1));
    assertThat(first.isAlive()).as(first.output()).isTrue();
    assertThat(second.isAlive()).as(second.output()).isTrue();
    return assignment("alpha").iterator().next();
  }

  /** The request partitions the group assigned to the processor with this instance id. */
  private Set<Integer> assignment(String instanceId) throws Exception {
    try (Admin admin = SharedStack.get().kafka().admin()) {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of(pipeline.group))
              .describedGroups()
              .get(pipeline.group)
              .get(10, TimeUnit.SECONDS);
      return group.members().stream()
          .filter(m -> m.clientId().equals("upload-stream-" + instanceId))
          .flatMap(m -> m.assignment().topicPartitions().stream())
          .map(TopicPartition::partition)
          .collect(Collectors.toSet());
    }
  }

  /** A request every 20 ms, alternating partitions, and a reader of committed results. */
  private void startLoadAndReader() {
    load = new Thread(this::publishSteadily, "recovery-load");
    reader = new Thread(this::readResults, "recovery-reader");
    reader.start();
    load.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> committedAt.size() >= 50);
  }

  private void publishSteadily() {
    while (running.get()) {
      int n = sequence.incrementAndGet();
      String id = "r-" + n;
      int partition = n % 2;
      partitionOf.put(id, partition);
      publishedAt.put(id, Instant.now());
      pipeline.publish(
          new UploadRequest(1, id, file.toString(), "recovery", id + ".txt", null, null, Map.of()),
          partition);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void readResults() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedStack.get().kafka().bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          List.of(new TopicPartition(pipeline.results, 0), new TopicPartition(pipeline.results, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          String id = EventCodec.decodeResult(record.value()).requestId();
          committedAt.putIfAbsent(id, Instant.now());
        }
      }
    }
  }

  /**
   * From {@code kill} to the first committed result of a request of the partition published since.
   */
  private Duration awaitFirstResultAfter(Instant kill, int partition) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> firstResultAfter(kill, partition).isPresent());
    return Duration.between(kill, firstResultAfter(kill, partition).get());
  }

  private Optional<Instant> firstResultAfter(Instant kill, int partition) {
    Set<String> ids = Set.copyOf(committedAt.keySet());
    return ids.stream()
        .filter(id -> partitionOf.get(id) == partition)
        .filter(id -> !publishedAt.get(id).isBefore(kill))
        .map(committedAt::get)
        .min(Instant::compareTo);
  }

  /** Child logs stay under target/ so the timing of a failure can be read afterwards. */
  private static Path logs() {
    try {
      return Files.createDirectories(Path.of("target", "recovery-logs"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ChildProcess startProcessor(String id) {
    Path config = pipeline.writeConfig(work.resolve(id + ".properties"), id);
    ChildProcess processor =
        ChildProcess.uploadStream(
            logs().resolve(id + "-" + System.nanoTime() + ".log"),
            List.of("-Xmx256m"),
            Map.of(),
            "run",
            "--config",
            config.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> processor.output().contains("assigned [") || !processor.isAlive());
    assertThat(processor.isAlive()).as(processor.output()).isTrue();
    return processor;
  }
}
