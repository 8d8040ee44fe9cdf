package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CloudEvents binary mode (Kafka protocol binding 1.0) on results, and accepted on requests. */
class CloudEventsIT {
  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void resultRecord_isAValidBinaryModeCloudEvent_whoseBodyIsThePlainResultJson() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    pipeline.startProcessor("ce-1");
    Path file = Files.writeString(files.resolve("a.txt"), "hello");
    pipeline.publish(UploadRequest.of("ce-result", file.toString(), "tmp"));

    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.resultRecords().size() == 1);

    ConsumerRecord<byte[], byte[]> record = pipeline.resultRecords().get(0);
    Map<String, String> headers = headers(record);
    assertThat(headers)
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", "ce-result")
        .containsEntry("ce_source", "urn:upload-stream:" + pipeline.group)
        .containsEntry("ce_type", "io.uploadstream.upload.result.v1")
        .containsEntry("content-type", "application/json");
    UploadResult result = EventCodec.decodeResult(record.value());
    assertThat(Instant.parse(headers.get("ce_time"))).isEqualTo(result.completedAt());
    assertThat(result.requestId()).isEqualTo("ce-result");
    assertThat(result.succeeded()).isTrue();
    // The body is the plain result, not a structured-mode envelope.
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .startsWith("{\"schemaVersion\":1,\"requestId\":\"ce-result\"")
        .doesNotContain("\"specversion\"");
  }

  @Test
  void requestWithCloudEventsHeaders_isProcessedLikeAnyOther() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    pipeline.startProcessor("ce-2");
    Path file = Files.writeString(files.resolve("b.txt"), "hello");
    UploadRequest request = UploadRequest.of("ce-request", file.toString(), "tmp");
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            pipeline.requests,
            request.requestId().getBytes(StandardCharsets.UTF_8),
            EventCodec.encode(request));
    header(record, "ce_specversion", "1.0");
    header(record, "ce_type", "com.example.upload.requested.v1");
    header(record, "ce_id", "evt-7f3a");
    header(record, "ce_source", "/example/uploader");
    header(record, "ce_time", "2025-08-16T16:31:04Z");
    header(record, "content-type", "application/json");

    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(record).get();
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.results().size() == 1);
    UploadResult result = pipeline.results().get(0);
    assertThat(result.requestId()).isEqualTo("ce-request");
    assertThat(result.succeeded()).as(String.valueOf(result.error())).isTrue();
    assertThat(pipeline.deadLetters()).isEmpty();
    assertThat(headers(pipeline.resultRecords().get(0))).containsEntry("ce_id", "ce-request");
  }

  private static void header(ProducerRecord<byte[], byte[]> record, String key, String value) {
    record.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            SharedStack.get().kafka().bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
