package io.uploadstream.bench;

import io.uploadstream.client.FileRequest;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.config.ClientSettings;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives the pipeline as its users do: publishes one request per file with the {@link
 * UploadRequests} client and counts the results with a {@link ResultsReader}. Latency is from just
 * before a request is handed to the producer to when its committed result is read.
 */
final class PipelineDriver {
  /** What one batch through the pipeline took. */
  record Run(int files, long bytes, double seconds, List<Double> latenciesMillis, int failed) {
    double filesPerSecond() {
      return files / seconds;
    }

    double megabytesPerSecond() {
      return bytes / 1e6 / seconds;
    }
  }

  private final ClientSettings client;

  PipelineDriver(String bootstrapServers, String requests, String results) {
    this.client =
        SettingsLoader.fromProperties(
                Map.of(
                    "kafka.bootstrap.servers", bootstrapServers,
                    "topics.requests", requests,
                    "topics.results", results))
            .clientSettings();
  }

  /** Publishes a request for each file (in order) under {@code prefix}; waits for every result. */
  Run run(List<Path> files, String prefix, Duration timeout) throws InterruptedException {
    List<UploadRequest> requests = new ArrayList<>(files.size());
    long bytes = 0;
    for (Path file : files) {
      requests.add(FileRequest.of(file, prefix).contentType("application/octet-stream").build());
      bytes += size(file);
    }
    Map<String, Long> published = new ConcurrentHashMap<>();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    Map<String, UploadResult> outcomes = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (ResultsReader reader = ResultsReader.fromEnd(client);
        UploadRequests publisher = UploadRequests.connect(client)) {
      Thread collector =
          new Thread(
              () -> collect(reader, published, arrived, outcomes, stop), "bench-results-reader");
      collector.start();
      long start = System.nanoTime();
      for (UploadRequest request : requests) {
        published.put(request.requestId(), System.nanoTime());
        publisher.publish(request);
      }
      awaitAll(arrived, requests.size(), timeout, collector);
      stop.set(true);
      collector.join();
      long end = arrived.values().stream().mapToLong(Long::longValue).max().orElse(start);
      List<Double> latencies = new ArrayList<>();
      arrived.forEach((id, at) -> latencies.add((at - published.get(id)) / 1e6));
      int failed = (int) outcomes.values().stream().filter(r -> !r.succeeded()).count();
      return new Run(files.size(), bytes, (end - start) / 1e9, latencies, failed);
    }
  }

  private static void collect(
      ResultsReader reader,
      Map<String, Long> published,
      Map<String, Long> arrived,
      Map<String, UploadResult> outcomes,
      AtomicBoolean stop) {
    while (!stop.get()) {
      List<UploadResult> batch = reader.poll(Duration.ofMillis(20));
      long now = System.nanoTime();
      for (UploadResult result : batch) {
        if (published.containsKey(result.requestId())
            && arrived.putIfAbsent(result.requestId(), now) == null) {
          outcomes.put(result.requestId(), result);
        }
      }
    }
  }

  private static void awaitAll(
      Map<String, Long> arrived, int expected, Duration timeout, Thread collector)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrived.size() < expected) {
      if (System.nanoTime() > deadline || !collector.isAlive()) {
        throw new IllegalStateException(
            "only " + arrived.size() + " of " + expected + " results within " + timeout);
      }
      Thread.sleep(5);
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
