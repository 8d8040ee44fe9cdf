package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name reader the dashboard and scaler checks rely on. */
class PromQlTest {

  @Test
  void metricNames_skipsFunctionsLabelsRangesGroupingAndVariables() {
    String expression =
        "histogram_quantile(0.99, sum by (le, instance) (rate(uploadstream_upload_duration_seconds_bucket"
            + "{job=~\"$job\", outcome=\"failed\"}[$__rate_interval])))"
            + " / on (instance) group_left sum without (code) (uploadstream_parts_total offset 5m)";
    assertThat(PromQl.metricNames(expression))
        .containsExactly("uploadstream_upload_duration_seconds_bucket", "uploadstream_parts_total");
  }

  @Test
  void metricNames_findsAMetricAnAggregationWraps_wholeNotInPart() {
    assertThat(PromQl.metricNames("sum(uploadstream_pending_bytes{namespace=\"x\"})"))
        .containsExactly("uploadstream_pending_bytes");
    assertThat(PromQl.metricNames("count(up) > 0 and bool process_uptime_seconds"))
        .containsExactly("up", "process_uptime_seconds");
  }

  @Test
  void exposed_acceptsOwnAndBinderMetrics_rejectsOthers() {
    assertThat(ProcessorMetrics.exposed("uploadstream_requests_total")).isTrue();
    assertThat(ProcessorMetrics.exposed("kafka_consumer_fetch_manager_records_lag_max")).isTrue();
    assertThat(ProcessorMetrics.exposed("jvm_memory_used_bytes")).isTrue();
    assertThat(ProcessorMetrics.exposed("uploadstream_request_total")).isFalse();
    assertThat(ProcessorMetrics.exposed("up")).isFalse();
  }
}
