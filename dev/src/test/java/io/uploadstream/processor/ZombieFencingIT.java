package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.testing.Names;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A zombie — an instance whose partitions moved to another member while it was stalled — cannot
 * commit: the group coordinator refuses its transactional offset commit (stale generation), the
 * transaction is aborted, and read_committed readers never see its result.
 */
class ZombieFencingIT {
  private final String bootstrap = SharedStack.get().kafka().bootstrapServers();
  private final String requests = Names.unique("zombie-requests");
  private final String results = Names.unique("zombie-results");
  private final String group = Names.unique("zombie-group");

  @Test
  void zombieWhosePartitionsMoved_cannotCommitItsResult() throws Exception {
    SharedStack.get()
        .kafka()
        .createTopics(
            List.of(new NewTopic(requests, 1, (short) 1), new NewTopic(results, 1, (short) 1)));
    TopicPartition partition = new TopicPartition(requests, 0);
    try (KafkaConsumer<byte[], byte[]> zombie = consumer("zombie", 3000);
        KafkaConsumer<byte[], byte[]> successor = consumer("successor", 300_000);
        KafkaProducer<byte[], byte[]> zombieProducer = transactionalProducer("zombie-tx")) {
      zombie.subscribe(List.of(requests));
      await().atMost(Duration.ofSeconds(30)).until(() -> pollAssigned(zombie));
      TransactionalCommitter zombieCommitter =
          new TransactionalCommitter(zombieProducer, zombie::groupMetadata);

      // The zombie stops polling; past max.poll.interval.ms it is put out of the group and the
      // successor takes its partition.
      successor.subscribe(List.of(requests));
      await().atMost(Duration.ofSeconds(60)).until(() -> pollAssigned(successor));

      ProducerRecord<byte[], byte[]> result =
          new ProducerRecord<>(
              results,
              "r1".getBytes(StandardCharsets.UTF_8),
              "zombie".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(
              () ->
                  zombieCommitter.commit(
                      List.of(result), Map.of(partition, new OffsetAndMetadata(1))))
          .isInstanceOf(ResultCommitter.CommitRejected.class)
          .satisfies(e -> assertThat(((ResultCommitter.CommitRejected) e).fatal()).isFalse());

      assertThat(committedResults()).as("the zombie's result is not visible").isEmpty();
      assertThat(successor.committed(java.util.Set.of(partition)).get(partition))
          .as("nor is its offset")
          .isNull();
    }
  }

  private boolean pollAssigned(KafkaConsumer<byte[], byte[]> consumer) {
    consumer.poll(Duration.ofMillis(200));
    return !consumer.assignment().isEmpty();
  }

  private KafkaConsumer<byte[], byte[]> consumer(String clientId, int maxPollIntervalMs) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, group,
            ConsumerConfig.CLIENT_ID_CONFIG, clientId,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId + "-" + group,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private List<ConsumerRecord<byte[], byte[]>> committedResults() {
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(results, 0);
      reader.assign(List.of(tp));
      reader.seekToBeginning(List.of(tp));
      long end = reader.endOffsets(List.of(tp)).get(tp);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (reader.position(tp) < end && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }
}
