package io.uploadstream.processor;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records the processor publishes: results (key = requestId, JSON body) and dead letters
 * (the source record byte for byte, plus headers saying why and where it came from). Both carry
 * CloudEvents binary-mode headers, so CloudEvents-aware consumers read them as events while
 * plain-JSON readers see no difference.
 */
final class ResultRecords {
  static final String RESULT_TYPE = "io.uploadstream.upload.result.v1";
  static final String DEAD_LETTER_TYPE = "io.uploadstream.upload.request.rejected.v1";

  static final String DLQ_REASON = "upload-stream.dlq.reason";
  static final String DLQ_MESSAGE = "upload-stream.dlq.message";
  static final String DLQ_SOURCE_TOPIC = "upload-stream.dlq.source.topic";
  static final String DLQ_SOURCE_PARTITION = "upload-stream.dlq.source.partition";
  static final String DLQ_SOURCE_OFFSET = "upload-stream.dlq.source.offset";

  private final String resultTopic;
  private final String deadLetterTopic;
  private final String source;

  /** {@code source} is the CloudEvents source, e.g. {@code urn:upload-stream:<group>}. */
  ResultRecords(String resultTopic, String deadLetterTopic, String source) {
    this.resultTopic = Objects.requireNonNull(resultTopic);
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic);
    this.source = Objects.requireNonNull(source);
  }

  ProducerRecord<byte[], byte[]> result(UploadResult result) {
    Headers headers = new RecordHeaders();
    Instant time = result.completedAt() != null ? result.completedAt() : Instant.now();
    cloudEvent(headers, result.requestId(), RESULT_TYPE, time, "application/json");
    byte[] key = result.requestId().getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(resultTopic, null, key, EventCodec.encode(result), headers);
  }

  ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> record, String reason, String message) {
    Headers headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().startsWith("ce_") && !header.key().equals("content-type")) {
        headers.add(header);
      }
    }
    String id = record.topic() + "-" + record.partition() + "-" + record.offset();
    cloudEvent(headers, id, DEAD_LETTER_TYPE, Instant.now(), "application/octet-stream");
    put(headers, DLQ_REASON, reason);
    put(headers, DLQ_MESSAGE, message);
    put(headers, DLQ_SOURCE_TOPIC, record.topic());
    put(headers, DLQ_SOURCE_PARTITION, String.valueOf(record.partition()));
    put(headers, DLQ_SOURCE_OFFSET, String.valueOf(record.offset()));
    return new ProducerRecord<>(deadLetterTopic, null, record.key(), record.value(), headers);
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
