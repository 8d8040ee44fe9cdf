package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.uploadstream.contract.UploadRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes upload requests to the request topic: the producer side users embed. Each record is
 * keyed by the request's {@code requestId} and carries the request as JSON with CloudEvents
 * binary-mode headers. The producer is idempotent with {@code acks=all}, so an acknowledged request
 * is on every in-sync replica exactly once. Thread-safe; {@link #close()} sends what is pending.
 */
public final class UploadRequests implements AutoCloseable {
  static final String CE_SOURCE = "urn:upload-stream:client";
  static final String CE_TYPE = "io.uploadstream.upload.request.v1";

  /** What correctness needs (no duplicates, no loss on leader failover); users cannot relax it. */
  private static final Map<String, Object> REQUIRED =
      Map.of(
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          true,
          ProducerConfig.ACKS_CONFIG,
          "all",
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ByteArraySerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ByteArraySerializer.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;

  UploadRequests(Producer<byte[], byte[]> producer, String topic, Clock clock) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A publisher to {@code settings}' request topic, with the user's Kafka properties (TLS, SASL).
   */
  public static UploadRequests connect(ClientSettings settings) {
    Map<String, Object> config =
        settings
            .kafka()
            .clientConfig(
                Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG,
                    "upload-stream-client",
                    // Someone usually waits for the result: send at once (Kafka 4 waits 5 ms to
                    // batch). Requests published in a burst still share batches while earlier ones
                    // are in flight.
                    ProducerConfig.LINGER_MS_CONFIG,
                    0),
                REQUIRED);
    return new UploadRequests(
        new KafkaProducer<>(config), settings.topics().requests(), Clock.systemUTC());
  }

  /** A request to upload {@code file} under {@code prefix}; see {@link FileRequest} for more. */
  public static UploadRequest forFile(Path file, String prefix) {
    return FileRequest.of(file, prefix).build();
  }

  /**
   * Sends {@code request}. The future completes when the broker has acknowledged it, or fails with
   * the producer's exception; it completes on the producer's I/O thread, so do not block in stages
   * that run on it. A request the processor would reject fails the future with an {@link
   * IllegalArgumentException} and is not sent.
   *
   * <p>A request without {@code requestedAt} is sent with {@code requestedAt} = now, so its object
   * key is fixed here: idempotency holds per request id and {@code requestedAt}. To publish a
   * request again with the same key, publish the same {@code requestedAt} (keep the request, or set
   * it explicitly).
   */
  public CompletableFuture<RecordMetadata> publish(UploadRequest request) {
    CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
    try {
      request = withRequestedAt(request);
      byte[] value = RequestCheck.requireValid(request);
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              topic, null, request.requestId().getBytes(UTF_8), value, headers(request));
      // The callback completes the returned future: the producer's own adds nothing.
      Future<RecordMetadata> unused =
          producer.send(
              record,
              (metadata, failure) -> {
                if (failure == null) {
                  acknowledged.complete(metadata);
                } else {
                  acknowledged.completeExceptionally(failure);
                }
              });
    } catch (IllegalArgumentException | KafkaException e) {
      acknowledged.completeExceptionally(e);
    }
    return acknowledged;
  }

  private UploadRequest withRequestedAt(UploadRequest request) {
    return request.requestedAt() != null ? request : request.withRequestedAt(clock.instant());
  }

  /** Waits until every published request is acknowledged or has failed, then closes. */
  @Override
  public void close() {
    producer.close();
  }

  /** CloudEvents 1.0 Kafka protocol binding, binary content mode. */
  private RecordHeaders headers(UploadRequest request) {
    Instant time = request.requestedAt(); // set by publish
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", "application/json".getBytes(UTF_8));
    headers.add("ce_specversion", "1.0".getBytes(UTF_8));
    headers.add("ce_id", request.requestId().getBytes(UTF_8));
    headers.add("ce_source", CE_SOURCE.getBytes(UTF_8));
    headers.add("ce_type", CE_TYPE.getBytes(UTF_8));
    headers.add("ce_time", time.toString().getBytes(UTF_8));
    return headers;
  }
}
