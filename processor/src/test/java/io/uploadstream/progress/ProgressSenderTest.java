package io.uploadstream.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadProgress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ProgressSenderTest {
  private final AtomicInteger dropped = new AtomicInteger();

  @Test
  void events_areSentToTheTopic_keyedByRequestId() {
    MockProducer<byte[], byte[]> producer = producer(true);
    try (ProgressSender sender =
        new ProgressSender(producer, "progress", 8, dropped::incrementAndGet).start()) {
      sender.accept(event("req-1", 5));

      await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    }
    var record = producer.history().get(0);
    assertThat(record.topic()).isEqualTo("progress");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    assertThat(EventCodec.decodeProgress(record.value())).isEqualTo(event("req-1", 5));
    assertThat(dropped).hasValue(0);
  }

  @Test
  void aFullBuffer_dropsTheEvent_insteadOfWaiting() {
    // Not started: nothing drains the buffer of two.
    ProgressSender sender =
        new ProgressSender(producer(true), "progress", 2, dropped::incrementAndGet);

    sender.accept(event("req-1", 1));
    sender.accept(event("req-1", 2));
    sender.accept(event("req-1", 3));

    assertThat(dropped).hasValue(1);
  }

  @Test
  void aFailedSend_countsAsDropped() {
    MockProducer<byte[], byte[]> producer = producer(false);
    try (ProgressSender sender =
        new ProgressSender(producer, "progress", 8, dropped::incrementAndGet).start()) {
      sender.accept(event("req-1", 5));
      await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);

      producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));

      assertThat(dropped).hasValue(1);
    }
  }

  @Test
  void afterClose_eventsAreDropped() {
    ProgressSender sender =
        new ProgressSender(producer(true), "progress", 8, dropped::incrementAndGet).start();
    sender.close();

    sender.accept(event("req-1", 1));

    assertThat(dropped).hasValue(1);
  }

  private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static UploadProgress event(String requestId, long bytesDone) {
    return new UploadProgress(
        1, requestId, bytesDone, 10, 0, 1, Instant.parse("2025-08-16T16:31:05Z"));
  }
}
