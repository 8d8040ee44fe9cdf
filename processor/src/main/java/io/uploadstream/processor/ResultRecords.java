package io.uploadstream.processor;

import io.uploadstream.contract.DeadLetterHeaders;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records the processor publishes: results (key = requestId, JSON body), dead letters
 * (the source record byte for byte, plus headers saying why and where it came from) and requests
 * handed to the large-file lane (key = requestId, the request as JSON with its {@code requestedAt}
 * explicit). All carry CloudEvents binary-mode headers, so CloudEvents-aware consumers read them as
 * events while plain-JSON readers see no difference.
 */
final class ResultRecords {
  static final String RESULT_TYPE = "io.uploadstream.upload.result.v1";
  static final String DEAD_LETTER_TYPE = "io.uploadstream.upload.request.rejected.v1";
  static final String REQUEST_TYPE = "io.uploadstream.upload.request.v1";

  static final String DLQ_REASON = DeadLetterHeaders.REASON;
  static final String DLQ_MESSAGE = DeadLetterHeaders.MESSAGE;
  static final String DLQ_SOURCE_TOPIC = DeadLetterHeaders.SOURCE_TOPIC;
  static final String DLQ_SOURCE_PARTITION = DeadLetterHeaders.SOURCE_PARTITION;
  static final String DLQ_SOURCE_OFFSET = DeadLetterHeaders.SOURCE_OFFSET;
  static final String DLQ_TRUNCATED = DeadLetterHeaders.TRUNCATED;
  static final String DLQ_ORIGINAL_SIZE = DeadLetterHeaders.ORIGINAL_SIZE;

  /** Room left in a dead letter for our headers and the copied ones. */
  private static final int HEADER_ROOM_BYTES = 64 * 1024;

  /** Copied source headers beyond this are dropped (a hostile record can carry megabytes). */
  private static final int MAX_COPIED_HEADER_BYTES = 32 * 1024;

  private final String resultTopic;
  private final String deadLetterTopic;
  private final String largeRequestTopic;
  private final String source;
  private final int maxDeadLetterBytes;

  /**
   * {@code source} is the CloudEvents source, e.g. {@code urn:upload-stream:<group>}; {@code
   * maxDeadLetterBytes} is the largest record the producer and the dead-letter topic accept.
   */
  ResultRecords(
      String resultTopic,
      String deadLetterTopic,
      String largeRequestTopic,
      String source,
      int maxDeadLetterBytes) {
    this.resultTopic = Objects.requireNonNull(resultTopic);
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic);
    this.largeRequestTopic = Objects.requireNonNull(largeRequestTopic);
    this.source = Objects.requireNonNull(source);
    this.maxDeadLetterBytes = maxDeadLetterBytes;
  }

  ProducerRecord<byte[], byte[]> result(UploadResult result) {
    Headers headers = new RecordHeaders();
    Instant time = result.completedAt() != null ? result.completedAt() : Instant.now();
    cloudEvent(headers, result.requestId(), RESULT_TYPE, time, "application/json");
    byte[] key = result.requestId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(resultTopic, null, key, EventCodec.encode(result), headers);
  }

  /**
   * A request handed to the large-file lane. Its {@code requestedAt} is set, so the key it maps to
   * does not depend on this record's timestamp; it is no larger than the record it came from plus
   * the timestamp, within what the held-bytes budget counted for that record.
   */
  ProducerRecord<byte[], byte[]> handOff(UploadRequest request) {
    Headers headers = new RecordHeaders();
    cloudEvent(
        headers, request.requestId(), REQUEST_TYPE, request.requestedAt(), "application/json");
    byte[] key = request.requestId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(largeRequestTopic, null, key, EventCodec.encode(request), headers);
  }

  /**
   * The source record, byte for byte, to the dead-letter topic — unless it is too large for it (a
   * 10 MiB record is refused by a 1 MiB topic, and a refused record would block the commit
   * forever): then its key and value are cut to fit, and headers say so and give the original size.
   */
  ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, String reason, String message) {
    Headers headers = new RecordHeaders();
    copySourceHeaders(record, headers);
    String id = record.topic() + "-" + record.partition() + "-" + record.offset();
    cloudEvent(headers, id, DEAD_LETTER_TYPE, Instant.now(), "application/octet-stream");
    put(headers, DLQ_REASON, reason);
    put(headers, DLQ_MESSAGE, message);
    put(headers, DLQ_SOURCE_TOPIC, record.topic());
    put(headers, DLQ_SOURCE_PARTITION, String.valueOf(record.partition()));
    put(headers, DLQ_SOURCE_OFFSET, String.valueOf(record.offset()));
    byte[] key = record.key();
    byte[] value = record.value();
    int room = Math.max(0, maxDeadLetterBytes - HEADER_ROOM_BYTES);
    if (length(key) + length(value) > room) {
      put(headers, DLQ_TRUNCATED, "true");
      put(headers, DLQ_ORIGINAL_SIZE, String.valueOf(length(key) + length(value)));
      key = cut(key, Math.min(length(key), room / 2));
      value = cut(value, room - length(key));
    }
    return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
  }

  private static void copySourceHeaders(ConsumerRecord<byte[], byte[]> record, Headers headers) {
    int copied = 0;
    for (Header header : record.headers()) {
      if (header.key().startsWith("ce_") || header.key().equals("content-type")) {
        continue; // the dead letter is its own CloudEvent
      }
      copied += header.key().length() + length(header.value());
      if (copied > MAX_COPIED_HEADER_BYTES) {
        put(headers, DLQ_TRUNCATED, "true");
        return;
      }
      headers.add(header);
    }
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static byte[] cut(byte[] bytes, int length) {
    return bytes == null || bytes.length <= length ? bytes : Arrays.copyOf(bytes, length);
  }

  private void cloudEvent(
      Headers headers, String id, String type, Instant time, String contentType) {
    put(headers, "ce_specversion", "1.0");
    put(headers, "ce_id", id);
    put(headers, "ce_source", source);
    put(headers, "ce_type", type);
    put(headers, "ce_time", time.toString());
    put(headers, "content-type", contentType);
  }

  private static void put(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
