package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** At-least-once delivery with the real committer over Kafka's mock clients. */
class AcknowledgedCommitterTest {
  private static final TopicPartition P0 = new TopicPartition("requests", 0);

  /** A consumer whose next offset commits fail, as when the group coordinator moves. */
  private static final class FlakyCommitConsumer extends MockConsumer<byte[], byte[]> {
    int failNext;

    FlakyCommitConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (failNext > 0) {
        failNext--;
        throw new TimeoutException("the coordinator did not answer");
      }
      super.commitSync(offsets);
    }
  }

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final FlakyCommitConsumer consumer = new FlakyCommitConsumer();
  private final OffsetTracker offsets = new OffsetTracker();
  private final OffsetTracker.Epoch epoch = offsets.assign(P0);
  private final ResultPublisher publisher =
      new ResultPublisher(
          offsets,
          new HeldBytes(32L * 1024 * 1024),
          new AcknowledgedCommitter(producer, consumer),
          ProcessorListener.NONE,
          Lane.SMALL,
          Clock.systemUTC(),
          Duration.ZERO,
          8,
          false,
          BatchLimit.DEFAULT);

  @Test
  void offsetCommitFails_theAcknowledgedResultIsNotSentAgain_onlyTheOffsetIsRetried() {
    consumer.assign(Set.of(P0));
    offsets.started(epoch, 0);
    publisher.finished(result(0));
    consumer.failNext = 1;

    publisher.publishNow(); // the result is acknowledged, the offset commit fails
    publisher.publishNow(); // the retry

    assertThat(producer.history()).as("one result, sent once").hasSize(1);
    assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));
    assertThat(publisher.waitingIn(P0)).isZero();
  }

  @Test
  void sendFails_nothingCounts_andTheRetrySendsTheResult() {
    consumer.assign(Set.of(P0));
    offsets.started(epoch, 0);
    publisher.finished(result(0));
    producer.sendException = new TimeoutException("no leader");

    publisher.publishNow();
    producer.sendException = null;
    publisher.publishNow();

    assertThat(producer.history()).hasSize(1);
    assertThat(consumer.committed(Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(1));
  }

  private Completion.Published result(long offset) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>("results", ("r" + offset).getBytes(StandardCharsets.UTF_8));
    return Completion.published(epoch, offset, record, null);
  }
}
