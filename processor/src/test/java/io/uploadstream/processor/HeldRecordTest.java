package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRecordStateException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class HeldRecordTest {
  private static final Duration RENEW_EVERY = Duration.ofSeconds(10);

  private final TestClock clock = new TestClock();
  private final Broker consumer = new Broker();
  private final List<ShareRecordEvent> events = new ArrayList<>();
  private final ProcessorListener listener =
      new ProcessorListener() {
        @Override
        public void shareRecord(ShareRecordEvent event) {
          events.add(event);
        }
      };
  private final ConsumerRecord<byte[], byte[]> record = record(3);
  private final HeldRecord held = new HeldRecord(consumer, record, RENEW_EVERY, clock, listener);

  @Test
  void renewIfDue_beforeItIsDue_sendsNothing_thenRenews_andTakesTheRecordBack() {
    clock.advance(Duration.ofSeconds(9));
    assertThat(held.renewIfDue()).isTrue();
    assertThat(consumer.acks).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(held.renewIfDue()).isTrue();

    assertThat(consumer.acks).containsExactly(AcknowledgeType.RENEW);
    assertThat(events).containsExactly(ShareRecordEvent.RENEWED);
    assertThat(held.untilRenewal()).isEqualTo(RENEW_EVERY);
    assertThat(held.deliveryCount()).isEqualTo(3);
  }

  @Test
  void aRenewalTheBrokerRefuses_losesTheLock_andNothingIsAcknowledgedAfterIt() {
    consumer.refuse = true;
    clock.advance(RENEW_EVERY);

    assertThat(held.renewIfDue()).isFalse();
    assertThat(held.lost()).isTrue();
    assertThat(held.acknowledge(AcknowledgeType.ACCEPT)).isFalse();
    assertThat(held.renewIfDue()).isFalse();

    assertThat(consumer.acks).containsExactly(AcknowledgeType.RENEW);
    assertThat(events).containsExactly(ShareRecordEvent.LOCK_LOST);
  }

  @Test
  void aRenewedRecordKafkaDoesNotHandBack_isStillHeld() {
    consumer.handBackRenewed = false; // KAFKA-20458 resolved the other way
    clock.advance(RENEW_EVERY);

    assertThat(held.renewIfDue()).isTrue();
    assertThat(held.acknowledge(AcknowledgeType.ACCEPT)).isTrue();

    assertThat(consumer.acks).containsExactly(AcknowledgeType.RENEW, AcknowledgeType.ACCEPT);
    assertThat(events).containsExactly(ShareRecordEvent.RENEWED, ShareRecordEvent.ACCEPTED);
  }

  @Test
  void terminalAcknowledgements_areCountedByType_aRefusedOneAsALostLock() {
    assertThat(held.acknowledge(AcknowledgeType.RELEASE)).isTrue();
    HeldRecord other = new HeldRecord(consumer, record(1), RENEW_EVERY, clock, listener);
    consumer.refuse = true;

    assertThat(other.acknowledge(AcknowledgeType.ACCEPT)).isFalse();

    assertThat(events).containsExactly(ShareRecordEvent.RELEASED, ShareRecordEvent.LOCK_LOST);
  }

  private static ConsumerRecord<byte[], byte[]> record(int deliveryCount) {
    return new ConsumerRecord<>(
        "requests",
        0,
        42,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        new byte[0],
        new byte[0],
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) deliveryCount));
  }

  /** Records acknowledgements; refuses them all when told to, as a broker does a lost lock. */
  private static final class Broker extends MockShareConsumer<byte[], byte[]> {
    final List<AcknowledgeType> acks = new ArrayList<>();
    boolean refuse;
    boolean handBackRenewed = true;

    Broker() {
      subscribe(List.of("requests")); // the mock hands out records of subscribed topics only
    }

    @Override
    public synchronized void acknowledge(
        ConsumerRecord<byte[], byte[]> record, AcknowledgeType type) {
      acks.add(type);
      if (type == AcknowledgeType.RENEW && handBackRenewed && !refuse) {
        addRecord(record);
      }
    }

    @Override
    public synchronized Map<TopicIdPartition, Optional<KafkaException>> commitSync(
        Duration timeout) {
      if (!refuse) {
        return Map.of();
      }
      return Map.of(
          new TopicIdPartition(Uuid.randomUuid(), 0, "requests"),
          Optional.of(new InvalidRecordStateException("The record state is invalid.")));
    }
  }

  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
