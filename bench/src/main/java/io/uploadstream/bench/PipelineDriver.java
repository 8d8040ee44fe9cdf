package io.uploadstream.bench;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.FileRequest;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * Drives the pipeline as its users do: publishes one request per file with the {@link
 * UploadRequests} client and counts the results with a {@link ResultsReader}. Latency is from just
 * before a request is handed to the producer to when its committed result is read. The producer and
 * the reader stay open from one run to the next (a reader thread records every result of a request
 * it was told about), so a run pays for no client start.
 */
final class PipelineDriver implements AutoCloseable {
  /** When a processor worked on one upload: from its result's start to its completion. */
  record Span(Instant started, Instant completed) {
    double seconds() {
      return Duration.between(started, completed).toNanos() / 1e9;
    }

    /** Seconds of this span within {@code from} to {@code to}. */
    double secondsWithin(Instant from, Instant to) {
      Instant start = started.isAfter(from) ? started : from;
      Instant end = completed.isBefore(to) ? completed : to;
      return start.isBefore(end) ? Duration.between(start, end).toNanos() / 1e9 : 0;
    }
  }

  /** What one batch through the pipeline took. */
  record Run(
      int files,
      long bytes,
      long publishedAtMillis,
      double seconds,
      List<Double> latenciesMillis,
      List<Span> spans,
      List<Phases> phases,
      int failed) {
    Run {
      latenciesMillis = List.copyOf(latenciesMillis);
      spans = spans.stream().sorted((a, b) -> a.completed().compareTo(b.completed())).toList();
    }

    /** Files per second from the first request published to the last result read. */
    double filesPerSecond() {
      return files / seconds;
    }

    double megabytesPerSecond() {
      return bytes / 1e6 / seconds;
    }

    /**
     * Uploads running at once, on average from the first upload's start to the last one's end: the
     * sum of their spans ({@code startedAt} to {@code completedAt}) over that time. Read from the
     * results, so measuring it costs the processor nothing (scraping its gauge did).
     */
    double averageInFlight() {
      if (spans.isEmpty()) {
        return Double.NaN;
      }
      Instant first = spans.stream().map(Span::started).min(Instant::compareTo).orElseThrow();
      Instant last = spans.stream().map(Span::completed).max(Instant::compareTo).orElseThrow();
      double window = Duration.between(first, last).toNanos() / 1e9;
      return window <= 0 ? Double.NaN : spans.stream().mapToDouble(Span::seconds).sum() / window;
    }

    /**
     * The steady rate: uploads per second while every slot had work, i.e. between the moments 10 %
     * and 90 % of the batch's uploads had started (by the {@code startedAt} the processors put into
     * each result). Each upload counts with the share of its duration ({@code startedAt} to {@code
     * completedAt}) that lies in that window, so the rate does not jump with where a wave of
     * completions falls against the window's ends; a slot idle between two uploads counts as idle.
     * It leaves out the start (publishing, the first poll) and the last wave (slots running out of
     * work, then the last commit), which weigh more the shorter the batch.
     */
    double steadyFilesPerSecond() {
      int n = spans.size();
      if (n < 10) {
        return filesPerSecond();
      }
      List<Instant> starts = spans.stream().map(Span::started).sorted().toList();
      Instant from = starts.get((int) Math.floor(0.1 * (n - 1)));
      Instant to = starts.get((int) Math.ceil(0.9 * (n - 1)));
      double window = Duration.between(from, to).toNanos() / 1e9;
      if (window <= 0) {
        return Double.NaN;
      }
      double uploads = 0;
      for (Span span : spans) {
        double seconds = span.seconds();
        if (seconds > 0) {
          uploads += span.secondsWithin(from, to) / seconds;
        }
      }
      return uploads / window;
    }
  }

  private record Arrival(long nanos, Instant at, UploadResult result) {}

  /**
   * Where one request's time went, by the wall clock: published ({@code requestedAt}, set by the
   * client) to its upload's start, the upload ({@code startedAt} to {@code completedAt}), and its
   * end to the committed result read here (publish, commit, read_committed fetch).
   */
  record Phases(double toStartMillis, double uploadMillis, double toReadMillis) {
    static String medians(List<Phases> phases) {
      return String.format(
          "publish -> upload start %.1f ms, upload %.1f ms, upload end -> result read %.1f ms"
              + " (medians)",
          Series.percentile(phases.stream().map(Phases::toStartMillis).toList(), 50),
          Series.percentile(phases.stream().map(Phases::uploadMillis).toList(), 50),
          Series.percentile(phases.stream().map(Phases::toReadMillis).toList(), 50));
    }
  }

  private final int evenPartitions;
  private final ResultsReader reader;
  private final UploadRequests publisher;
  private final Map<String, Long> published = new ConcurrentHashMap<>();
  private final Map<String, Instant> publishedAtWall = new ConcurrentHashMap<>();
  private final Map<String, Arrival> arrived = new ConcurrentHashMap<>();
  private final Thread collector;
  private volatile boolean stop;

  PipelineDriver(String bootstrapServers, String requests, String results) {
    this(bootstrapServers, requests, results, 0);
  }

  /**
   * With {@code evenPartitions} > 0, the request ids (the record keys) are chosen so that request
   * {@code i} lands on partition {@code i % evenPartitions} of the request topic: the instances of
   * a group then get equal shares of a batch, as they would of a long stream, instead of the random
   * imbalance of random keys, which leaves one instance working alone at the end of a short batch.
   */
  PipelineDriver(String bootstrapServers, String requests, String results, int evenPartitions) {
    this.evenPartitions = evenPartitions;
    ClientSettings client =
        SettingsLoader.fromProperties(
                Map.of(
                    "kafka.bootstrap.servers", bootstrapServers,
                    "topics.requests", requests,
                    "topics.results", results))
            .clientSettings();
    this.reader = ResultsReader.fromEnd(client);
    UploadRequests connected;
    try {
      connected = UploadRequests.connect(client);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    this.publisher = connected;
    this.collector = new Thread(this::collect, "bench-results-reader-" + results);
    collector.setDaemon(true);
    collector.start();
  }

  /** Publishes a request for each file (in order) under {@code prefix}; waits for every result. */
  Run run(List<Path> files, String prefix, Duration timeout) throws InterruptedException {
    return run(files, prefix, Pacing.ALL_AT_ONCE, timeout);
  }

  /**
   * How requests are published: all at once (a backlog), one every {@code interval} whatever the
   * results do (a steady stream), or each {@code gap} after the previous one's result arrived (one
   * user at a time: the processor is otherwise idle).
   */
  record Pacing(Duration interval, Duration gapAfterResult) {
    static final Pacing ALL_AT_ONCE = new Pacing(Duration.ZERO, null);

    static Pacing every(Duration interval) {
      return new Pacing(interval, null);
    }

    static Pacing oneByOne(Duration gapAfterResult) {
      return new Pacing(Duration.ZERO, gapAfterResult);
    }
  }

  /** As {@link #run(List, String, Duration)}, published as {@code pacing} says. */
  Run run(List<Path> files, String prefix, Pacing pacing, Duration timeout)
      throws InterruptedException {
    List<UploadRequest> requests = new ArrayList<>(files.size());
    long bytes = 0;
    for (Path file : files) {
      UploadRequest request = request(file, prefix);
      if (evenPartitions > 0) {
        request = onPartition(request, requests.size() % evenPartitions);
      }
      requests.add(request);
      bytes += size(file);
    }
    try {
      long publishedAt = System.currentTimeMillis();
      long start = System.nanoTime();
      long next = start;
      for (UploadRequest request : requests) {
        next += pacing.interval().toNanos();
        publish(request);
        if (pacing.gapAfterResult() != null) {
          awaitAll(List.of(request), timeout);
          Thread.sleep(pacing.gapAfterResult().toMillis());
        } else {
          sleepUntil(next);
        }
      }
      awaitAll(requests, timeout);
      return collected(requests, bytes, publishedAt, start);
    } finally {
      for (UploadRequest request : requests) {
        forget(request.requestId());
      }
    }
  }

  /** The run's figures, once every result of {@code requests} arrived. */
  private Run collected(
      List<UploadRequest> requests, long bytes, long publishedAt, long startNanos) {
    long end = startNanos;
    List<Double> latencies = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    List<Phases> phases = new ArrayList<>();
    int failed = 0;
    for (UploadRequest request : requests) {
      Arrival arrival = arrived.get(request.requestId());
      phases(publishedAtWall.get(request.requestId()), arrival).ifPresent(phases::add);
      end = Math.max(end, arrival.nanos());
      latencies.add((arrival.nanos() - published.get(request.requestId())) / 1e6);
      UploadResult result = arrival.result();
      if (result.startedAt() != null && result.completedAt() != null) {
        spans.add(new Span(result.startedAt(), result.completedAt()));
      }
      if (!result.succeeded()) {
        failed++;
      }
    }
    return new Run(
        requests.size(),
        bytes,
        publishedAt,
        (end - startNanos) / 1e9,
        latencies,
        spans,
        phases,
        failed);
  }

  private static java.util.Optional<Phases> phases(Instant publishedAt, Arrival arrival) {
    UploadResult result = arrival.result();
    if (publishedAt == null || result.startedAt() == null || result.completedAt() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Phases(
            millis(publishedAt, result.startedAt()),
            millis(result.startedAt(), result.completedAt()),
            millis(result.completedAt(), arrival.at())));
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  /** A request for {@code file} under {@code prefix}, on {@code partition} of the request topic. */
  UploadRequest request(Path file, String prefix, int partition) {
    return onPartition(request(file, prefix), partition);
  }

  private static UploadRequest request(Path file, String prefix) {
    return FileRequest.of(file, prefix).contentType("application/octet-stream").build();
  }

  /** Publishes {@code request}; its result is recorded when it arrives ({@link #awaitResult}). */
  void publish(UploadRequest request) {
    publishedAtWall.put(request.requestId(), Instant.now());
    published.put(request.requestId(), System.nanoTime());
    // The results are awaited instead: a failed publish shows as a missing one.
    CompletableFuture<?> unused = publisher.publish(request);
  }

  /**
   * Waits for the result of a request {@link #publish published} alone; returns it with its latency
   * in milliseconds, and forgets the request.
   */
  Map.Entry<UploadResult, Double> awaitResult(UploadRequest request, Duration timeout)
      throws InterruptedException {
    try {
      awaitAll(List.of(request), timeout);
      Arrival arrival = arrived.get(request.requestId());
      double millis = (arrival.nanos() - published.get(request.requestId())) / 1e6;
      return Map.entry(arrival.result(), millis);
    } finally {
      forget(request.requestId());
    }
  }

  /** The result of {@code request} if it arrived, else null. */
  UploadResult resultOf(UploadRequest request) {
    Arrival arrival = arrived.get(request.requestId());
    return arrival == null ? null : arrival.result();
  }

  private void forget(String requestId) {
    publishedAtWall.remove(requestId);
    published.remove(requestId);
    arrived.remove(requestId);
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  /**
   * {@code request} with a new random id that the default partitioner puts on {@code partition}.
   */
  private UploadRequest onPartition(UploadRequest request, int partition) {
    int partitions = evenPartitions > 0 ? evenPartitions : 1;
    while (true) {
      String id = UUID.randomUUID().toString();
      byte[] key = id.getBytes(StandardCharsets.UTF_8);
      if (Utils.toPositive(Utils.murmur2(key)) % partitions == partition) {
        return new UploadRequest(
            request.schemaVersion(),
            id,
            request.filePath(),
            request.prefix(),
            request.fileName(),
            request.contentType(),
            request.requestedAt(),
            request.metadata());
      }
    }
  }

  private void collect() {
    while (!stop) {
      List<UploadResult> batch = reader.poll(Duration.ofMillis(20));
      long now = System.nanoTime();
      Instant at = Instant.now();
      for (UploadResult result : batch) {
        if (published.containsKey(result.requestId())) {
          arrived.putIfAbsent(result.requestId(), new Arrival(now, at, result));
        }
      }
    }
  }

  private void awaitAll(List<UploadRequest> requests, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (UploadRequest request : requests) {
      while (!arrived.containsKey(request.requestId())) {
        if (System.nanoTime() > deadline || !collector.isAlive()) {
          long got = requests.stream().filter(r -> arrived.containsKey(r.requestId())).count();
          throw new IllegalStateException(
              "only " + got + " of " + requests.size() + " results within " + timeout);
        }
        Thread.sleep(5);
      }
    }
  }

  @Override
  public void close() {
    stop = true;
    try {
      collector.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      publisher.close();
    } finally {
      reader.close();
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
