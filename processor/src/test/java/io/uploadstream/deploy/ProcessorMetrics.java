package io.uploadstream.deploy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.ops.UploadMetrics;
import io.uploadstream.processor.ShareRecordEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metric names the processor exposes on /metrics (Micrometer, Prometheus format): its own, and
 * the Kafka client, JVM and process metrics of Micrometer's binders, known by their prefix.
 */
final class ProcessorMetrics {
  static final String PENDING_BYTES = "uploadstream_pending_bytes";
  static final String CONSUMER_LAG = "kafka_consumer_fetch_manager_records_lag_max";

  /**
   * The processor's own metric names as its registry really renders them: an {@link UploadMetrics}
   * on a Prometheus registry, made to record one of each outcome, then scraped.
   */
  static final Set<String> OWN = scrapedOwnNames();

  static final List<String> BINDER_PREFIXES = List.of("kafka_", "jvm_", "process_");

  private ProcessorMetrics() {}

  private static Set<String> scrapedOwnNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    UploadMetrics metrics = new UploadMetrics(registry);
    metrics.deadLettered("INVALID_JSON");
    metrics.shareRecord(ShareRecordEvent.ACQUIRED);
    metrics.sharePending(3);
    Instant now = Instant.now();
    metrics.resultCommitted(
        new UploadResult(
            1,
            "r",
            null,
            null,
            UploadResult.Status.FAILED,
            "b",
            "k",
            null,
            null,
            null,
            null,
            null,
            null,
            now,
            now,
            new UploadResult.UploadError(ErrorCode.FILE_NOT_FOUND, "gone", false)));
    return registry
        .scrape()
        .lines()
        .filter(line -> line.startsWith("uploadstream_"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toUnmodifiableSet());
  }

  static boolean exposed(String name) {
    return OWN.contains(name) || BINDER_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
