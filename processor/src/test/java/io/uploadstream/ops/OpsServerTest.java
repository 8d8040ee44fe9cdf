package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.processor.Lane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean loopRunning = new AtomicBoolean(true);
  private final Assignment assignment = new Assignment(false);
  private final BucketProbe bucket = new BucketProbe(new FakeBucket(), "uploads");
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final HttpClient http = HttpClient.newHttpClient();
  private OpsServer server;

  @BeforeEach
  void start() {
    Health health = new Health(loopRunning::get, assignment, bucket);
    server = OpsServer.start(0, registry, health, threads);
  }

  @AfterEach
  void stop() {
    server.close();
    threads.shutdownNow();
  }

  @Test
  void metrics_areThePrometheusTextFormat() throws Exception {
    Counter.builder("uploadstream.requests").register(registry).increment();

    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body()).contains("uploadstream_requests_total 1.0");
  }

  @Test
  void metrics_gaugeWithoutAValue_isAbsent_notZero() throws Exception {
    Gauge.builder("uploadstream.nothing.yet", () -> Double.NaN).tag("q", "0.5").register(registry);
    Gauge.builder("uploadstream.something", () -> 2.0).register(registry);

    String body = get("/metrics").body();

    assertThat(body).contains("uploadstream_something 2.0").doesNotContain("NaN");
    assertThat(body).doesNotContainPattern("(?m)^uploadstream_nothing_yet");
  }

  @Test
  void metrics_nameFilter_returnsOnlyTheNamedMetrics() throws Exception {
    Counter.builder("uploadstream.requests").register(registry).increment();
    AtomicInteger inFlight = new AtomicInteger(3);
    Gauge.builder("uploadstream.uploads.in.flight", inFlight, AtomicInteger::get)
        .register(registry);
    Counter.builder("uploadstream.parts").register(registry).increment();

    String gaugeOnly = get("/metrics?name%5B%5D=uploadstream_uploads_in_flight").body();
    String both =
        get("/metrics?name[]=uploadstream_uploads_in_flight&name[]=uploadstream_requests_total")
            .body();

    assertThat(gaugeOnly)
        .contains("uploadstream_uploads_in_flight 3.0")
        .doesNotContain("uploadstream_requests_total")
        .doesNotContain("uploadstream_parts_total");
    assertThat(both)
        .contains("uploadstream_uploads_in_flight 3.0", "uploadstream_requests_total 1.0")
        .doesNotContain("uploadstream_parts_total");
    assertThat(get("/metrics?name[]=uploadstream_parts").body())
        .contains("uploadstream_parts_total 1.0")
        .doesNotContain("uploadstream_requests_total");
    assertThat(get("/metrics?other=1").body()).contains("uploadstream_parts_total 1.0");
  }

  @Test
  void ready_answers503WithAReason_then200() throws Exception {
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body())
        .isEqualTo("{\"status\":\"DOWN\",\"reason\":\"not joined the consumer group yet\"}\n");

    assignment.assignmentChanged(Lane.SMALL, Set.of(new TopicPartition("requests", 0)));
    bucket.check();

    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).startsWith("{\"status\":\"UP\"");
  }

  @Test
  void live_answers200_then503AfterTheLoopStopped() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    loopRunning.set(false);

    assertThat(get("/health/live").statusCode()).isEqualTo(503);
  }

  @Test
  void unknownPath_is404_andOtherMethods_are405() throws Exception {
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
