package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upload-stream dev} as a user runs it: the packaged jar in its own JVM, stopped with
 * SIGTERM (what Ctrl-C and {@code kill} send) and started again on the same data directory.
 */
class DevRestartIT {
  private static final Pattern BOOTSTRAP = Pattern.compile("Kafka bootstrap\\s*: (\\S+)");
  private static final Pattern METRICS = Pattern.compile("Metrics, health : (\\S+)/metrics");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  /** Generous on 2 shared cores; a clean restart takes a few seconds. */
  private static final Duration RESTART_BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void sigterm_stopsTheStackInOrderAndExitsZero_andARestartAnswersWithinSeconds() throws Exception {
    Path data = dir.resolve("data");
    Path files = Files.createDirectories(dir.resolve("files"));
    Path file = Files.writeString(files.resolve("hello.txt"), "hello, dev");

    long firstStart = System.nanoTime();
    try (ChildProcess first = startDev(dir.resolve("first.log"), data, files)) {
      String bootstrap = awaitBootstrap(first);
      assertThat(uploadOnce(bootstrap, file).succeeded()).isTrue();
      report("first start on an empty data directory", firstStart);

      long stopStart = System.nanoTime();
      int exit = first.terminate(Duration.ofSeconds(90));
      report("stop (SIGTERM to exit)", stopStart);

      assertThat(exit).as(first.output()).isZero();
      assertThat(first.output())
          .as("no warnings from a normal start, upload and stop (dev-logging.xml)")
          .doesNotContain(" WARN ")
          .doesNotContain(" ERROR ");
      assertThat(first.output())
          .containsSubsequence(
              "signal received: stopping the dev stack",
              "stopping: 0 uploads in flight",
              "processor stopped",
              "CDN stand-in at",
              "stopped",
              "S3 server at",
              "stopped",
              "Kafka broker at",
              "stopped",
              "dev stack stopped");
    }

    long start = System.nanoTime();
    try (ChildProcess second = startDev(dir.resolve("second.log"), data, files)) {
      String bootstrap = awaitBootstrap(second);
      report("restart on the same data directory: banner", start);
      UploadResult result = uploadOnce(bootstrap, file);
      Duration firstResult = report("restart on the same data directory: first result", start);

      assertThat(result.succeeded()).as(second.output()).isTrue();
      assertThat(firstResult).as(second.output()).isLessThan(RESTART_BOUND);
      assertBannerCommandsWork(second, bootstrap, data);
      assertThat(second.terminate(Duration.ofSeconds(90))).as(second.output()).isZero();
    }
  }

  /**
   * The banner's lines are ready to copy: the submit line names the progress topic, the health URL
   * answers, and the written processor.properties starts a second processor in the group.
   */
  private void assertBannerCommandsWork(ChildProcess dev, String bootstrap, Path data)
      throws Exception {
    assertThat(dev.output())
        .contains(
            "./upload-stream submit --bootstrap-servers "
                + bootstrap
                + " --set topics.progress=upload-progress --prefix tmp --wait")
        .contains("./upload-stream results --bootstrap-servers " + bootstrap + " --follow")
        .contains("./upload-stream run --config " + data.resolve("processor.properties"));
    Matcher metrics = METRICS.matcher(dev.output());
    assertThat(metrics.find()).as(dev.output()).isTrue();
    HttpResponse<String> ready =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(metrics.group(1) + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

    try (ChildProcess more =
        ChildProcess.uploadStream(
            dir.resolve("more.log"),
            List.of("-Xmx256m"),
            Map.of(),
            "run",
            "--config",
            data.resolve("processor.properties").toString())) {
      await()
          .atMost(START_TIMEOUT)
          .until(() -> more.output().contains("assigned [upload-requests-") || !more.isAlive());
      assertThat(more.output()).contains("assigned [upload-requests-");
      assertThat(more.terminate(Duration.ofSeconds(60))).as(more.output()).isZero();
    }
  }

  /** Prints (and returns) the time since {@code start}: the timing is part of the record. */
  private static Duration report(String what, long start) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf(Locale.ROOT, "dev %s after %.1f s%n", what, elapsed.toMillis() / 1000.0);
    return elapsed;
  }

  private static ChildProcess startDev(Path log, Path data, Path files) {
    return ChildProcess.uploadStreamDev(
        log,
        List.of("-Xmx512m"),
        Map.of(),
        "dev",
        "--data-dir",
        data.toString(),
        "--kafka-port",
        "0",
        "--s3-port",
        "0",
        "--cdn-port",
        "0",
        "--metrics-port",
        "0",
        "--allowed-root",
        files.toString());
  }

  private static String awaitBootstrap(ChildProcess dev) {
    return await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> bootstrapIn(dev), bootstrap -> bootstrap != null || !dev.isAlive());
  }

  private static String bootstrapIn(ChildProcess dev) {
    Matcher matcher = BOOTSTRAP.matcher(dev.output());
    return matcher.find() ? matcher.group(1) : null;
  }

  /** Publishes one request to the dev stack's default topics and waits for its result. */
  private static UploadResult uploadOnce(String bootstrap, Path file) {
    ClientSettings settings =
        SettingsLoader.fromProperties(Map.of("kafka.bootstrap.servers", bootstrap))
            .clientSettings();
    try (ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      UploadRequest request = UploadRequests.forFile(file, "restart");
      requests.publish(request).join();
      Map<String, UploadResult> arrived =
          results.await(Set.of(request.requestId()), Duration.ofSeconds(60), r -> {});
      assertThat(arrived).containsKey(request.requestId());
      return arrived.get(request.requestId());
    }
  }
}
