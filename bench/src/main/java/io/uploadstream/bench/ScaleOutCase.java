package io.uploadstream.bench;

import io.uploadstream.dev.FaultInjectingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A backlog of small files through groups of 1, 2 and 3 processor instances, the S3 server behind a
 * proxy that adds a fixed latency to every request, so the work is I/O-bound as on a real network.
 * Three groups (1, 2 and 3 instances, each with its own topics) run side by side for the whole
 * case, so the rounds alternate without restarting JVMs; the idle groups only poll.
 *
 * <p>Every group gets the same backlog per instance ({@link Plan#scaleOutFilesPerInstance}), spread
 * evenly over the partitions, so each runs the same number of waves of uploads; and the rate of a
 * run is its steady rate ({@link PipelineDriver.Run#steadyFilesPerSecond}), the same method for
 * every group. Measured from first request to last result instead, the start and the last wave
 * (which take the same time whatever the group) are a larger share of a faster group's run and tilt
 * the ratios down, the more the shorter the backlog.
 */
final class ScaleOutCase implements BenchCase {
  static final String NAME = "scale-out";
  private static final int MAX_INSTANCES = 3;
  private static final int WARMUP_FILES = 24;

  /**
   * What is scaled: consumer groups on the plan's partitions ({@code scale}, the classic case), a
   * share group on one partition ({@code share}: every instance takes records of the partition),
   * and for contrast consumer groups on that one partition ({@code group1}: one instance works, the
   * others stand by). The last two run in the same benchmark run to compare.
   */
  enum Variant {
    GROUPS("scale", NAME, "bench-scale-", 0, false),
    SHARE("share", "share-scale", "bench-share-", 1, true),
    GROUP_ONE_PARTITION("group1", "group-1-partition", "bench-group1-", 1, false);

    final String key;
    final String caseName;
    private final String prefix;
    private final int partitions; // 0: the plan's
    private final boolean share;

    Variant(String key, String caseName, String prefix, int partitions, boolean share) {
      this.key = key;
      this.caseName = caseName;
      this.prefix = prefix;
      this.partitions = partitions;
      this.share = share;
    }

    int partitions(Plan plan) {
      return partitions == 0 ? plan.scaleOutPartitions() : partitions;
    }

    Map<String, String> settings() {
      Map<String, String> all = new LinkedHashMap<>(GROUP_SETTINGS);
      if (share) {
        all.put("processor.consumption", "share");
      }
      return all;
    }

    static Variant of(String key) {
      for (Variant variant : values()) {
        if (variant.key.equals(key)) {
          return variant;
        }
      }
      throw new IllegalArgumentException(key);
    }
  }

  /**
   * Members learn of a rebalance from a heartbeat answer (default every 3 s): at 500 ms a group of
   * 3 starting together settles in about a second instead of up to 6. One small request per 500 ms
   * per instance; nothing the uploads wait for.
   */
  private static final Map<String, String> GROUP_SETTINGS =
      Map.of("kafka.heartbeat.interval.ms", "500");

  private final Context ctx;
  private final Variant variant;
  private FaultInjectingProxy proxy;

  ScaleOutCase(Context ctx, Variant variant) {
    this.ctx = ctx;
    this.variant = variant;
  }

  static String contender(int instances) {
    return instances + (instances == 1 ? " instance" : " instances");
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    Plan plan = ctx.plan();
    try {
      proxy = FaultInjectingProxy.start(ctx.stack().s3Endpoint()).latency(plan.scaleOutLatency());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int partitions = variant.partitions(plan);
    for (int instances = 1; instances <= MAX_INSTANCES; instances++) {
      fleet.topics(partitions, requests(instances), results(instances));
      ProcessorJvm.Config config =
          ctx.processorConfig(
              proxy.endpoint(),
              variant.prefix + instances,
              requests(instances),
              results(instances),
              variant.settings());
      fleet.group(
          new Fleet.Group(
              group(instances),
              instances,
              partitions,
              config,
              ctx.processorFlags(List.of("-Xmx256m"))));
    }
  }

  /** Writes the files of this case (the small-file case's first ones): enough for 3 instances. */
  static List<Path> writeData(Plan plan, TestData data) {
    return data.files(
        "small", MAX_INSTANCES * plan.scaleOutFilesPerInstance(), plan.smallFileBytes());
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Map<Integer, List<ProcessorJvm>> groups = new LinkedHashMap<>();
    for (int instances = 1; instances <= MAX_INSTANCES; instances++) {
      groups.put(instances, ctx.fleet().processors(group(instances)));
    }
    Map<Integer, PipelineDriver> drivers = new LinkedHashMap<>();
    try {
      for (int instances : groups.keySet()) {
        drivers.put(
            instances,
            new PipelineDriver(
                ctx.stack().bootstrapServers(),
                requests(instances),
                results(instances),
                variant.partitions(ctx.plan())));
      }
      return measure(writeData(ctx.plan(), ctx.data()), groups, drivers);
    } finally {
      drivers.values().forEach(PipelineDriver::close);
    }
  }

  private List<Series> measure(
      List<Path> files,
      Map<Integer, List<ProcessorJvm>> groups,
      Map<Integer, PipelineDriver> drivers)
      throws InterruptedException {
    Map<Integer, List<Double>> rates = new LinkedHashMap<>();
    Map<Integer, List<Double>> endToEnd = new LinkedHashMap<>();
    Map<Integer, List<Double>> p50 = new LinkedHashMap<>();
    Map<Integer, CpuShares> cpu = new LinkedHashMap<>();
    SpanLog spans = new SpanLog(ctx.out().resolve(variant.caseName + "-uploads.csv"));
    for (int instances : groups.keySet()) {
      cpu.put(
          instances,
          new CpuShares(
              ctx.stack(), groups.get(instances).stream().map(ProcessorJvm::jvm).toList()));
      rates.put(instances, new ArrayList<>());
      endToEnd.put(instances, new ArrayList<>());
      p50.put(instances, new ArrayList<>());
    }
    warmUp(files, drivers);
    ctx.beforeMeasuring();
    List<Integer> order = new ArrayList<>(groups.keySet());
    for (int round = 0; round < ctx.plan().iterations(); round++) {
      StringBuilder line = new StringBuilder("  round " + (round + 1));
      for (int i = 0; i < order.size(); i++) {
        int instances = order.get((i + round) % order.size());
        List<Path> backlog = files.subList(0, instances * ctx.plan().scaleOutFilesPerInstance());
        cpu.get(instances).start();
        PipelineDriver.Run run =
            SmallFilesCase.checked(
                drivers
                    .get(instances)
                    .run(
                        backlog,
                        variant.key + "/" + instances + "/" + round,
                        Duration.ofMinutes(10)));
        cpu.get(instances).stop(backlog.size());
        rates.get(instances).add(run.steadyFilesPerSecond());
        spans.append(instances, round, run);
        endToEnd.get(instances).add(run.filesPerSecond());
        p50.get(instances).add(Series.percentile(run.latenciesMillis(), 50));
        line.append(
            String.format(
                "  %dx %5.1f files/s (end to end %5.1f)",
                instances, run.steadyFilesPerSecond(), run.filesPerSecond()));
      }
      Context.log(line.toString());
      ctx.stack().deleteObjects(variant.key + "/");
    }
    spans.write();
    List<Series> series = new ArrayList<>();
    String setup =
        String.format(
            "%s: %d files of %d KiB per instance, spread evenly over %d partitions, +%d ms per"
                + " S3 request",
            variant == Variant.SHARE ? "a share group" : "a consumer group",
            ctx.plan().scaleOutFilesPerInstance(),
            ctx.plan().smallFileBytes() / 1024,
            variant.partitions(ctx.plan()),
            ctx.plan().scaleOutLatency().toMillis());
    rates.forEach(
        (instances, values) -> {
          CpuShares shares = cpu.get(instances);
          String notes =
              String.format(
                  "%s; steady rate (10-90 %% of upload starts); first publish to last result %.1f"
                      + " files/s; latency p50 %.0f ms; CPU ms/file: %s (~%.1f cores busy)",
                  setup,
                  Series.percentile(endToEnd.get(instances), 50),
                  Series.percentile(p50.get(instances), 50),
                  shares.summary(),
                  shares.totalMillisPerFile()
                      * Series.percentile(endToEnd.get(instances), 50)
                      / 1000);
          series.add(new Series(variant.caseName, contender(instances), "files/s", values, notes));
        });
    return series;
  }

  /**
   * Each group uploads {@value #WARMUP_FILES} files once, all groups at the same time: not
   * measured, and mostly waiting for the proxy's latency, so they need not wait for each other.
   */
  private void warmUp(List<Path> files, Map<Integer, PipelineDriver> drivers)
      throws InterruptedException {
    Context.log("  warm-up");
    List<Path> warmup = files.subList(0, Math.min(files.size(), WARMUP_FILES));
    ExecutorService threads = Executors.newFixedThreadPool(drivers.size());
    try {
      List<Future<PipelineDriver.Run>> runs = new ArrayList<>();
      drivers.forEach(
          (instances, driver) ->
              runs.add(
                  threads.submit(
                      () ->
                          driver.run(
                              warmup,
                              "warmup/" + variant.key + instances,
                              Duration.ofMinutes(5)))));
      for (Future<PipelineDriver.Run> run : runs) {
        try {
          SmallFilesCase.checked(run.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("warm-up failed", e.getCause());
        }
      }
    } finally {
      threads.shutdownNow();
    }
    ctx.stack().deleteObjects("warmup/");
  }

  @Override
  public void close() {
    if (proxy != null) {
      try {
        proxy.close();
      } catch (IOException e) {
        Context.log("closing the latency proxy: " + e);
      }
    }
  }

  /**
   * Every measured upload of the case as CSV (instances, round, started and completed in seconds
   * after the first request of its run was published): the data behind the steady rates.
   */
  private static final class SpanLog {
    private final Path file;
    private final StringBuilder csv = new StringBuilder("instances,round,started_s,completed_s\n");

    SpanLog(Path file) {
      this.file = file;
    }

    void append(int instances, int round, PipelineDriver.Run run) {
      Instant zero = Instant.ofEpochMilli(run.publishedAtMillis());
      for (PipelineDriver.Span span : run.spans()) {
        csv.append(
            String.format(
                Locale.ROOT,
                "%d,%d,%.4f,%.4f%n",
                instances,
                round + 1,
                Duration.between(zero, span.started()).toNanos() / 1e9,
                Duration.between(zero, span.completed()).toNanos() / 1e9));
      }
    }

    void write() {
      try {
        Files.writeString(file, csv);
      } catch (IOException e) {
        Context.log("cannot write " + file + ": " + e);
      }
    }
  }

  private String group(int instances) {
    return variant.key + "-" + instances;
  }

  private String requests(int instances) {
    return variant.prefix + instances + "-requests";
  }

  private String results(int instances) {
    return variant.prefix + instances + "-results";
  }
}
