package io.uploadstream.processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one record a share-group member holds, and its acquisition lock. While the record's work
 * runs, {@link #renewIfDue} renews the lock ({@code RENEW}, KIP-1222) every {@code renewEvery};
 * each renewal gives a full lock again. The terminal acknowledgement ({@link #acknowledge}: ACCEPT,
 * REJECT or RELEASE) is sent at once with {@code commitSync}, so the member knows whether the
 * broker took it. A renewal or acknowledgement the broker refuses means the lock is gone: the
 * broker hands the record (or has handed it) to another member, and this holder must publish
 * nothing more for it.
 *
 * <p>Kafka 4.4 hands a renewed record back through the next {@code poll} (KAFKA-20458), where it
 * must be acknowledged again; a Kafka that stops doing so leaves the handle as it was. Called only
 * from the member's thread, the one that owns the consumer.
 */
final class HeldRecord {
  private static final Logger log = LoggerFactory.getLogger(HeldRecord.class);
  static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TAKE_BACK_POLL = Duration.ofMillis(100);
  private static final int TAKE_BACK_POLLS = 20;

  private final ShareConsumer<byte[], byte[]> consumer;
  private final Duration renewEvery;
  private final Clock clock;
  private final ProcessorListener listener;
  private ConsumerRecord<byte[], byte[]> record;
  private Instant locked; // when the lock was acquired or last renewed
  private boolean lost;

  HeldRecord(
      ShareConsumer<byte[], byte[]> consumer,
      ConsumerRecord<byte[], byte[]> record,
      Duration renewEvery,
      Clock clock,
      ProcessorListener listener) {
    this.consumer = consumer;
    this.record = record;
    this.renewEvery = renewEvery;
    this.clock = clock;
    this.listener = listener;
    this.locked = clock.instant();
  }

  ConsumerRecord<byte[], byte[]> record() {
    return record;
  }

  /** How many times the broker has handed this record out, this time included. */
  int deliveryCount() {
    return record.deliveryCount().map(Short::intValue).orElse(1);
  }

  /** Time left until the next renewal is due (zero when it is due). */
  Duration untilRenewal() {
    Duration left = Duration.between(clock.instant(), locked.plus(renewEvery));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Renews the lock if a renewal is due; false once the lock is lost (it stays lost). */
  boolean renewIfDue() {
    if (lost) {
      return false;
    }
    return !untilRenewal().isZero() || renew();
  }

  boolean lost() {
    return lost;
  }

  /**
   * Sends the terminal acknowledgement and waits for the broker's answer; false when the lock was
   * lost (before or by this acknowledgement): another member has the record.
   */
  boolean acknowledge(AcknowledgeType type) {
    if (lost) {
      return false;
    }
    Optional<String> refused = send(type);
    if (refused.isPresent()) {
      return lose(type + " refused: " + refused.get());
    }
    listener.shareRecord(eventOf(type));
    return true;
  }

  private boolean renew() {
    Instant renewing = clock.instant();
    Optional<String> refused = send(AcknowledgeType.RENEW);
    if (refused.isPresent()) {
      return lose("renewal refused: " + refused.get());
    }
    takeBack();
    locked = renewing;
    listener.shareRecord(ShareRecordEvent.RENEWED);
    return true;
  }

  /** Acknowledges the record and commits; empty when the broker took it, else why not. */
  private Optional<String> send(AcknowledgeType type) {
    try {
      consumer.acknowledge(record, type);
      Map<TopicIdPartition, Optional<KafkaException>> answers = consumer.commitSync(COMMIT_TIMEOUT);
      return answers.values().stream().flatMap(Optional::stream).findFirst().map(Object::toString);
    } catch (IllegalStateException e) { // no longer in flight in the client
      return Optional.of(e.getMessage());
    } catch (KafkaException e) { // a timeout: whether the broker took it is unknown
      return Optional.of(e.toString());
    }
  }

  /**
   * The renewed record comes back through poll and must be held again. Nothing else can come with
   * it (a consumer holding renewed records fetches no others); anything that did is released.
   */
  private void takeBack() {
    List<ConsumerRecord<byte[], byte[]>> strays = new ArrayList<>();
    boolean back = false;
    for (int poll = 0; poll < TAKE_BACK_POLLS && !back; poll++) {
      for (ConsumerRecord<byte[], byte[]> polled : consumer.poll(TAKE_BACK_POLL)) {
        if (polled.topic().equals(record.topic())
            && polled.partition() == record.partition()
            && polled.offset() == record.offset()) {
          record = polled;
          back = true;
        } else {
          strays.add(polled);
        }
      }
    }
    release(strays);
  }

  private void release(List<ConsumerRecord<byte[], byte[]>> strays) {
    if (strays.isEmpty()) {
      return;
    }
    log.warn("{} records came back with a renewed one: releasing them", strays.size());
    strays.forEach(stray -> consumer.acknowledge(stray, AcknowledgeType.RELEASE));
    consumer.commitSync(COMMIT_TIMEOUT);
    strays.forEach(stray -> listener.shareRecord(ShareRecordEvent.RELEASED));
  }

  private boolean lose(String why) {
    lost = true;
    listener.shareRecord(ShareRecordEvent.LOCK_LOST);
    log.warn(
        "lock of {}-{}@{} lost ({}): another member gets the record",
        record.topic(),
        record.partition(),
        record.offset(),
        why);
    return false;
  }

  private static ShareRecordEvent eventOf(AcknowledgeType type) {
    return switch (type) {
      case ACCEPT -> ShareRecordEvent.ACCEPTED;
      case RELEASE -> ShareRecordEvent.RELEASED;
      case REJECT -> ShareRecordEvent.REJECTED;
      case RENEW -> ShareRecordEvent.RENEWED;
    };
  }
}
