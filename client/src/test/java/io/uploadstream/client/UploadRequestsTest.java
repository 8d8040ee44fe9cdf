package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class UploadRequestsTest {
  private static final Instant NOW = Instant.parse("2025-08-16T16:31:04.5Z");

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final UploadRequests requests =
      new UploadRequests(producer, "requests", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void publish_sendsTheEncodedRequestKeyedByItsId() {
    UploadRequest request =
        new UploadRequest(
            1,
            "r-1",
            "/data/a.txt",
            "tmp",
            null,
            null,
            Instant.parse("2025-01-02T03:04:05Z"),
            null);

    CompletableFuture<RecordMetadata> acknowledged = requests.publish(request);

    assertThat(acknowledged).isCompleted();
    ProducerRecord<byte[], byte[]> record = producer.history().get(0);
    assertThat(record.topic()).isEqualTo("requests");
    assertThat(record.key()).isEqualTo("r-1".getBytes(UTF_8));
    assertThat(record.value()).isEqualTo(EventCodec.encode(request));
  }

  /** Idempotency is per (requestId, requestedAt): the key must not depend on the record's time. */
  @Test
  void publish_requestWithoutRequestedAt_isSentWithRequestedAtNow() {
    assertThat(requests.publish(UploadRequest.of("r-1", "/data/a.txt", "tmp"))).isCompleted();

    UploadRequest sent =
        ((DecodeResult.Decoded) new RequestDecoder().decode(producer.history().get(0).value()))
            .request();
    assertThat(sent.requestedAt()).isEqualTo(NOW);
    assertThat(sent.requestId()).isEqualTo("r-1");
  }

  @Test
  void publish_addsCloudEventsHeaders_timedAtRequestedAt_orNowWithoutIt() {
    Instant requestedAt = Instant.parse("2025-01-02T03:04:05Z");
    UploadRequest timed =
        new UploadRequest(1, "r-1", "/data/a.txt", "tmp", null, null, requestedAt, Map.of());

    assertThat(requests.publish(timed)).isCompleted();
    assertThat(requests.publish(UploadRequest.of("r-2", "/data/b.txt", "tmp"))).isCompleted();

    assertThat(headers(producer.history().get(0)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "content-type", "application/json",
                "ce_specversion", "1.0",
                "ce_id", "r-1",
                "ce_source", "urn:upload-stream:client",
                "ce_type", "io.uploadstream.upload.request.v1",
                "ce_time", "2025-01-02T03:04:05Z"));
    assertThat(headers(producer.history().get(1))).containsEntry("ce_time", NOW.toString());
  }

  @Test
  void publish_failsARequestTheProcessorWouldReject_withoutSendingIt() {
    CompletableFuture<RecordMetadata> acknowledged =
        requests.publish(UploadRequest.of("r-1", "/data/a.txt", "a/../b"));

    assertThat(acknowledged)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(IllegalArgumentException.class)
        .withMessageContaining("prefix");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void publish_failsTheFuture_whenTheBrokerRefusesTheRecord() {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    UploadRequests publisher = new UploadRequests(manual, "requests", Clock.systemUTC());

    CompletableFuture<RecordMetadata> acknowledged =
        publisher.publish(UploadRequest.of("r-1", "/data/a.txt", "tmp"));
    manual.errorNext(new TimeoutException("no broker"));

    assertThat(acknowledged)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .withMessage("no broker");
  }

  @Test
  void close_closesTheProducer() {
    requests.close();

    assertThat(producer.closed()).isTrue();
  }

  private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
    return StreamSupport.stream(record.headers().spliterator(), false)
        .collect(Collectors.toMap(Header::key, h -> new String(h.value(), UTF_8)));
  }
}
