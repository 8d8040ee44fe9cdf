package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.app.Processor;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.PipelineFixture;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real processor after real uploads. */
class MetricsEndpointIT {
  private static final long MIB = 1024 * 1024;

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void scrape_afterUploads_showsRequestsBytesPartsKafkaAndJvmMetrics() throws Exception {
    pipeline =
        PipelineFixture.onSharedStack(files, 1)
            .set("metrics.port", "0")
            .set("upload.part-size", "5MiB");
    Processor processor = pipeline.startProcessor("metrics-1");
    Path file = randomFile("twelve.bin", 12 * MIB); // 3 parts of 5 MiB
    pipeline.publish(UploadRequest.of("metrics-ok", file.toString(), "tmp"));
    pipeline.publish(UploadRequest.of("metrics-missing", files.resolve("nope").toString(), "tmp"));
    pipeline.publishRaw("garbage", "not json".getBytes(StandardCharsets.UTF_8));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> pipeline.results().size() == 2 && pipeline.deadLetters().size() == 1);
    assertThat(pipeline.results())
        .filteredOn(r -> r.requestId().equals("metrics-ok"))
        .singleElement()
        .extracting(UploadResult::status)
        .isEqualTo(UploadResult.Status.SUCCEEDED);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              HttpResponse<String> response = OpsHttp.get(processor, "/metrics");
              assertThat(response.statusCode()).isEqualTo(200);
              String scrape = response.body();
              assertThat(
                      OpsHttp.value(
                          scrape,
                          "uploadstream_requests_total{code=\"NONE\",lane=\"small\",outcome=\"succeeded\"}"))
                  .isGreaterThanOrEqualTo(1);
              assertThat(
                      OpsHttp.value(
                          scrape,
                          "uploadstream_requests_total{code=\"FILE_NOT_FOUND\",lane=\"small\",outcome=\"failed\"}"))
                  .isEqualTo(1);
              assertThat(
                      OpsHttp.value(
                          scrape, "uploadstream_dead_letters_total{reason=\"INVALID_JSON\"}"))
                  .isEqualTo(1);
              assertThat(OpsHttp.value(scrape, "uploadstream_upload_bytes_total"))
                  .isGreaterThanOrEqualTo(12 * MIB);
              assertThat(OpsHttp.value(scrape, "uploadstream_parts_total"))
                  .isGreaterThanOrEqualTo(3);
              assertThat(OpsHttp.value(scrape, "uploadstream_pending_bytes")).isZero();
              assertThat(OpsHttp.value(scrape, "uploadstream_uploads_in_flight")).isZero();
              assertThat(OpsHttp.value(scrape, "uploadstream_parts_in_flight")).isZero();
              assertThat(
                      OpsHttp.value(
                          scrape,
                          "uploadstream_upload_duration_seconds_count{lane=\"small\",outcome=\"succeeded\"}"))
                  .isGreaterThanOrEqualTo(1);
              assertThat(scrape)
                  .contains(
                      "uploadstream_upload_duration_seconds_bucket{lane=\"small\",outcome=\"succeeded\",le=")
                  .contains(
                      "uploadstream_upload_duration_percentile_seconds{lane=\"small\",outcome=\"succeeded\","
                          + "quantile=\"0.99\"}")
                  .contains("uploadstream_part_retries_total ")
                  .containsPattern("(?m)^kafka_consumer_\\w+\\{")
                  .containsPattern("(?m)^kafka_producer_\\w+\\{")
                  .contains("jvm_memory_used_bytes{")
                  .contains("jvm_threads_live_threads ")
                  .contains("process_cpu_usage ")
                  .contains("jvm_classes_loaded_classes ");
            });
  }

  private Path randomFile(String name, long size) throws Exception {
    byte[] bytes = new byte[(int) size];
    new Random(size).nextBytes(bytes);
    return Files.write(files.resolve(name), bytes);
  }
}
