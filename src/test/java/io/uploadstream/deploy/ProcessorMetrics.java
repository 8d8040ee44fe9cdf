package io.uploadstream.deploy;

import java.util.List;
import java.util.Set;

/**
 * The metric names the processor exposes on /metrics (Micrometer, Prometheus format): its own, and
 * the Kafka client, JVM and process metrics of Micrometer's binders, known by their prefix.
 */
final class ProcessorMetrics {
  static final String PENDING_BYTES = "uploadstream_pending_bytes";
  static final String CONSUMER_LAG = "kafka_consumer_fetch_manager_records_lag_max";

  static final Set<String> OWN =
      Set.of(
          "uploadstream_requests_total",
          "uploadstream_dead_letters_total",
          "uploadstream_upload_duration_seconds",
          "uploadstream_upload_duration_seconds_bucket",
          "uploadstream_upload_duration_seconds_count",
          "uploadstream_upload_duration_seconds_sum",
          "uploadstream_upload_duration_seconds_max",
          "uploadstream_upload_bytes_total",
          "uploadstream_parts_total",
          "uploadstream_part_retries_total",
          "uploadstream_uploads_in_flight",
          "uploadstream_parts_in_flight",
          PENDING_BYTES);

  static final List<String> BINDER_PREFIXES = List.of("kafka_", "jvm_", "process_");

  private ProcessorMetrics() {}

  static boolean exposed(String name) {
    return OWN.contains(name) || BINDER_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
