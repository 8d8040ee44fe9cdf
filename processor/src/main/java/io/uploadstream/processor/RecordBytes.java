package io.uploadstream.processor;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** How many bytes of memory the records the loop holds take, counted as their byte arrays. */
final class RecordBytes {
  /** Objects and array headers around each record's bytes. */
  static final int RECORD_OVERHEAD_BYTES = 256;

  /**
   * Room for what the processor adds to a record: a result's JSON (its texts are bounded: request
   * id, key, URL, error message) or a dead letter's own headers (reason, message, source).
   */
  static final int ADDED_BYTES = 8 * 1024;

  private RecordBytes() {}

  /**
   * The most a polled record can make the loop hold once its work is done: its dead letter (the
   * record itself, cut to fit the topic, plus headers) or its result, both within its own bytes
   * plus {@link #ADDED_BYTES}.
   */
  static long heldAtMost(ConsumerRecord<byte[], byte[]> record) {
    return length(record.key())
        + length(record.value())
        + of(record.headers())
        + ADDED_BYTES
        + RECORD_OVERHEAD_BYTES;
  }

  static long of(List<ProducerRecord<byte[], byte[]>> records) {
    long bytes = 0;
    for (ProducerRecord<byte[], byte[]> record : records) {
      bytes += of(record);
    }
    return bytes;
  }

  static long of(ProducerRecord<byte[], byte[]> record) {
    return length(record.key())
        + length(record.value())
        + of(record.headers())
        + RECORD_OVERHEAD_BYTES;
  }

  private static long of(Headers headers) {
    long bytes = 0;
    for (Header header : headers) {
      bytes += header.key().length() + length(header.value());
    }
    return bytes;
  }

  private static long length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }
}
