package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.processor.Lane;
import io.uploadstream.processor.SourceOutcome;
import io.uploadstream.upload.UploadSpec;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UploadMetricsTest {
  private static final long MIB = 1024 * 1024;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final UploadMetrics metrics = new UploadMetrics(registry);

  @Test
  void committedResults_countByOutcomeAndCode() {
    metrics.resultCommitted(OpsTestResults.succeeded("a", 10, Duration.ofMillis(300)), Lane.SMALL);
    metrics.resultCommitted(OpsTestResults.succeeded("b", 10, Duration.ofMillis(500)), Lane.SMALL);
    metrics.resultCommitted(OpsTestResults.failed("c", ErrorCode.FILE_NOT_FOUND), Lane.SMALL);

    assertThat(count(MeterNames.REQUESTS, "succeeded", "NONE")).isEqualTo(2);
    assertThat(count(MeterNames.REQUESTS, "failed", "FILE_NOT_FOUND")).isEqualTo(1);
  }

  @Test
  void committedResults_tellTheLaneThatServedThem_andHandOffsCount() {
    metrics.resultCommitted(OpsTestResults.succeeded("a", 10, Duration.ofMillis(300)), Lane.SMALL);
    metrics.handedOff("b", 64 * MIB);
    metrics.resultCommitted(OpsTestResults.succeeded("b", 10, Duration.ofSeconds(3)), Lane.LARGE);

    assertThat(registry.get(MeterNames.REQUESTS).tag("lane", "small").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(MeterNames.REQUESTS).tag("lane", "large").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MeterNames.UPLOAD_DURATION)
                .tags("outcome", "succeeded", "lane", "large")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(3);
    assertThat(registry.get(MeterNames.HANDOFFS).counter().count()).isEqualTo(1);
  }

  @Test
  void committedResult_recordsItsDuration_tellingOutcomes() {
    metrics.resultCommitted(OpsTestResults.succeeded("a", 10, Duration.ofMillis(300)), Lane.SMALL);
    metrics.resultCommitted(OpsTestResults.failed("c", ErrorCode.FILE_NOT_FOUND), Lane.SMALL);

    var succeeded =
        registry
            .get(MeterNames.UPLOAD_DURATION)
            .tags("outcome", "succeeded", "lane", "small")
            .timer();
    assertThat(succeeded.count()).isEqualTo(1);
    assertThat(succeeded.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(300);
    assertThat(
            registry
                .get(MeterNames.UPLOAD_DURATION)
                .tags("outcome", "failed", "lane", "small")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shareRecords_countByEvent_andThePendingGaugeAppearsWithTheFirstReport() {
    assertThat(registry.scrape()).doesNotContain("uploadstream_share_pending_records");
    metrics.shareRecord(io.uploadstream.processor.ShareRecordEvent.RENEWED);
    metrics.shareRecord(io.uploadstream.processor.ShareRecordEvent.RENEWED);
    metrics.shareRecord(io.uploadstream.processor.ShareRecordEvent.LOCK_LOST);
    metrics.sharePending(7);
    metrics.sharePending(4);

    assertThat(registry.get(MeterNames.SHARE_RECORDS).tag("event", "renewed").counter().count())
        .isEqualTo(2);
    assertThat(registry.get(MeterNames.SHARE_RECORDS).tag("event", "lock_lost").counter().count())
        .isEqualTo(1);
    assertThat(registry.scrape())
        .contains("uploadstream_share_records_total{event=\"renewed\"} 2.0")
        .contains("uploadstream_share_pending_records 4.0");
  }

  @Test
  void deadLetters_countByReason() {
    metrics.deadLettered("INVALID_JSON");
    metrics.deadLettered("INVALID_JSON");
    metrics.deadLettered("SCHEMA_VIOLATION");

    assertThat(
            registry.get(MeterNames.DEAD_LETTERS).tag("reason", "INVALID_JSON").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(MeterNames.DEAD_LETTERS)
                .tag("reason", "SCHEMA_VIOLATION")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void partsInFlight_riseWhenPartsStart_andFallWhenTheyFinish() {
    UploadSpec spec = OpsTestResults.spec("a");

    metrics.partStarted(spec, 1, 8 * MIB);
    metrics.partStarted(spec, 2, 8 * MIB);
    assertThat(gauge(MeterNames.PARTS_IN_FLIGHT)).isEqualTo(2);

    metrics.partFinished(spec, 1);
    assertThat(gauge(MeterNames.PARTS_IN_FLIGHT)).isEqualTo(1);
  }

  @Test
  void storedParts_countPartsAndBytes_andRetriesCountApart() {
    UploadSpec spec = OpsTestResults.spec("a");

    metrics.partRetried(spec, 1, 1, new IOException("reset"));
    metrics.partUploaded(spec, 1, 8 * MIB, 8 * MIB, 10 * MIB);
    metrics.partUploaded(spec, 2, 2 * MIB, 10 * MIB, 10 * MIB);

    assertThat(registry.get(MeterNames.PARTS).counter().count()).isEqualTo(2);
    assertThat(registry.get(MeterNames.UPLOAD_BYTES).counter().count()).isEqualTo(10 * MIB);
    assertThat(registry.get(MeterNames.PART_RETRIES).counter().count()).isEqualTo(1);
  }

  @Test
  void pendingBytes_holdTheUnstoredRestOfRunningUploads() {
    UploadSpec a = OpsTestResults.spec("a");

    metrics.uploadStarted("a", 20 * MIB);
    metrics.uploadStarted("b", 5 * MIB);
    assertThat(gauge(MeterNames.PENDING_BYTES)).isEqualTo(25 * MIB);
    assertThat(gauge(MeterNames.UPLOADS_IN_FLIGHT)).isEqualTo(2);

    metrics.partUploaded(a, 1, 8 * MIB, 8 * MIB, 20 * MIB);
    assertThat(gauge(MeterNames.PENDING_BYTES)).isEqualTo(17 * MIB);

    metrics.uploadEnded("a"); // failed half-way: its rest is no longer pending
    assertThat(gauge(MeterNames.PENDING_BYTES)).isEqualTo(5 * MIB);
    assertThat(gauge(MeterNames.UPLOADS_IN_FLIGHT)).isEqualTo(1);

    metrics.uploadEnded("b");
    assertThat(gauge(MeterNames.PENDING_BYTES)).isZero();
  }

  @Test
  void pendingBytes_neverGoNegative_whenMoreIsStoredThanAnnounced() {
    metrics.uploadStarted("a", 1000);
    metrics.partUploaded(OpsTestResults.spec("a"), 1, 4000, 4000, 4000); // the file grew

    assertThat(gauge(MeterNames.PENDING_BYTES)).isZero();
  }

  @Test
  void prometheusScrape_rendersTheDocumentedNames() {
    UploadSpec spec = OpsTestResults.spec("a");
    metrics.uploadStarted("a", 10);
    metrics.partStarted(spec, 1, 10);
    metrics.partUploaded(spec, 1, 10, 10, 10);
    metrics.partRetried(spec, 1, 1, new IOException("reset"));
    metrics.partFinished(spec, 1);
    metrics.uploadEnded("a");
    metrics.resultCommitted(OpsTestResults.succeeded("a", 10, Duration.ofMillis(300)), Lane.SMALL);
    metrics.deadLettered("INVALID_JSON");
    metrics.progressDropped();
    metrics.sourceFileHandled("a", SourceOutcome.DELETED);

    String scrape = registry.scrape();

    assertThat(scrape)
        .contains(
            "uploadstream_requests_total{code=\"NONE\",lane=\"small\",outcome=\"succeeded\"} 1.0",
            "uploadstream_requests_total{code=\"NONE\",lane=\"large\",outcome=\"succeeded\"} 0.0",
            "uploadstream_handoffs_total 0.0",
            "uploadstream_dead_letters_total{reason=\"INVALID_JSON\"} 1.0",
            "uploadstream_upload_duration_seconds_bucket{lane=\"small\",outcome=\"succeeded\",le=",
            "uploadstream_upload_duration_seconds_count{lane=\"small\",outcome=\"succeeded\"} 1",
            "uploadstream_upload_duration_percentile_seconds{lane=\"small\",outcome=\"succeeded\","
                + "quantile=\"0.95\"}",
            "uploadstream_upload_bytes_total 10.0",
            "uploadstream_parts_total 1.0",
            "uploadstream_part_retries_total 1.0",
            "uploadstream_uploads_in_flight 0.0",
            "uploadstream_parts_in_flight 0.0",
            "uploadstream_pending_bytes 0.0",
            "uploadstream_progress_dropped_total 1.0",
            "uploadstream_source_files_total{outcome=\"deleted\"} 1.0");
  }

  @Test
  void sourceFiles_countByWhatTheirDeleteDid() {
    metrics.sourceFileHandled("a", SourceOutcome.DELETED);
    metrics.sourceFileHandled("b", SourceOutcome.CHANGED);
    metrics.sourceFileHandled("c", SourceOutcome.CHANGED);

    assertThat(sourceFiles("deleted")).isEqualTo(1);
    assertThat(sourceFiles("changed")).isEqualTo(2);
    assertThat(registry.find(MeterNames.SOURCE_FILES).tag("outcome", "refused").counter())
        .as("an outcome that did not happen has no series")
        .isNull();
  }

  private double sourceFiles(String outcome) {
    return registry.get(MeterNames.SOURCE_FILES).tag(MeterNames.OUTCOME, outcome).counter().count();
  }

  @Test
  void durationPercentiles_ofAnEmptyWindow_haveNoValue_whileARecordedOneHas() {
    metrics.resultCommitted(OpsTestResults.succeeded("a", 10, Duration.ofMillis(300)), Lane.SMALL);

    assertThat(percentile("succeeded")).isGreaterThan(0.0);
    assertThat(percentile("failed")).as("no failure recorded: absent, not 0.0").isNaN();
  }

  @Test
  void aDurationOfZero_stillCountsAsASampleInTheWindow() {
    UploadResult refused = OpsTestResults.failed("b", ErrorCode.INVALID_REQUEST);
    metrics.resultCommitted(
        new UploadResult(
            1,
            "b",
            null,
            null,
            refused.status(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            refused.startedAt(),
            refused.startedAt(),
            refused.error()),
        Lane.SMALL); // answered at once

    assertThat(percentile("failed")).isNotNaN();
  }

  private double percentile(String outcome) {
    return registry
        .get("uploadstream.upload.duration.percentile")
        .tag("outcome", outcome)
        .tag("lane", "small")
        .tag("quantile", "0.5")
        .gauge()
        .value();
  }

  private double count(String name, String outcome, String code) {
    return registry
        .get(name)
        .tag("outcome", outcome)
        .tag("code", code)
        .tag("lane", "small")
        .counter()
        .count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }
}
