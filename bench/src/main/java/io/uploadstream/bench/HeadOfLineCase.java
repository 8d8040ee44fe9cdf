package io.uploadstream.bench;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.upload.MultipartUploader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a small file waits behind a big one: a stream of 64 KiB requests (one every {@link
 * #INTERVAL}, spread evenly over the request topic's partitions) through one processor with default
 * settings, exactly-once, once on an idle processor and once starting {@link #DELAY} after a
 * request for a multi-GiB file on partition 0. Small-file latency (publish to committed result)
 * with the big upload in flight is compared with the idle one: p50, p99 and max, and the ratio of
 * the p99s. A third contender measures what the machine alone adds: the same small-file stream
 * while this JVM uploads the same big file to the same S3 server with {@link MultipartUploader},
 * outside the pipeline (no request, no lane, no transaction of the processor involved).
 */
final class HeadOfLineCase implements BenchCase {
  static final String NAME = "head-of-line";

  /** The same through a share group ({@code processor.consumption=share}, at-least-once). */
  static final String SHARE_NAME = "head-of-line-share";

  static final String IDLE_P50 = "small files p50, idle";
  static final String IDLE_P99 = "small files p99, idle";
  static final String IDLE_MAX = "small files max, idle";
  static final String BUSY_P50 = "small files p50, beside a big upload";
  static final String BUSY_P99 = "small files p99, beside a big upload";
  static final String BUSY_MAX = "small files max, beside a big upload";
  static final String BIG = "the big upload";
  static final String DIRECT_P50 = "small files p50, beside a big upload outside the pipeline";
  static final String DIRECT_P99 = "small files p99, beside a big upload outside the pipeline";
  static final String DIRECT_MAX = "small files max, beside a big upload outside the pipeline";

  static final Duration INTERVAL = Duration.ofMillis(25);
  static final Duration DELAY = Duration.ofSeconds(1);

  private static final int PARTITIONS = 4;

  private final Context ctx;
  private final boolean share;
  private final String name;
  private final String prefix;

  /** {@code share}: the processor consumes through a share group instead of a consumer group. */
  HeadOfLineCase(Context ctx, boolean share) {
    this.ctx = ctx;
    this.share = share;
    this.name = share ? SHARE_NAME : NAME;
    this.prefix = share ? "bench-hol-share" : "bench-hol";
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    fleet.topics(PARTITIONS, prefix + "-requests", prefix + "-results");
    fleet.group(
        new Fleet.Group(
            share ? "hol-share" : "hol",
            1,
            PARTITIONS,
            ctx.processorConfig(
                prefix,
                prefix + "-requests",
                prefix + "-results",
                share ? Map.of("processor.consumption", "share") : Map.of()),
            ctx.processorFlags(List.of("-Xmx256m"))));
  }

  static List<Path> writeData(Plan plan, TestData data) {
    List<Path> files = new ArrayList<>(bigFile(plan, data));
    files.addAll(data.files("small", plan.holSmallFiles(), plan.smallFileBytes()));
    return files;
  }

  private static List<Path> bigFile(Plan plan, TestData data) {
    return List.of(data.file("hol-big.bin", plan.holBigFileBytes()));
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Plan plan = ctx.plan();
    List<Path> files = writeData(plan, ctx.data());
    Path big = files.get(0);
    List<Path> small = files.subList(1, files.size());
    Rounds rounds = new Rounds();
    try (PipelineDriver driver =
            new PipelineDriver(
                ctx.stack().bootstrapServers(),
                prefix + "-requests",
                prefix + "-results",
                PARTITIONS);
        DirectBigUpload direct = new DirectBigUpload(ctx.stack())) {
      SmallFilesCase.checked(
          driver.run(small, "hol/warmup", PipelineDriver.Pacing.every(INTERVAL), timeout()));
      ctx.beforeMeasuring();
      for (int round = 0; round < plan.iterations(); round++) {
        boolean idleFirst = round % 2 == 0;
        for (int step = 0; step < 2; step++) {
          if ((step == 0) == idleFirst) {
            rounds.idle(idle(driver, small, round));
          } else {
            rounds.busy(besideBigUpload(driver, small, big, round));
          }
        }
        rounds.direct(besideDirectUpload(driver, direct, small, big, round));
        ctx.stack().deleteObjects("hol/");
      }
    }
    return rounds.series(plan, name, share ? "a share group, at-least-once" : "exactly-once");
  }

  private List<Double> idle(PipelineDriver driver, List<Path> small, int round)
      throws InterruptedException {
    PipelineDriver.Run run =
        SmallFilesCase.checked(
            driver.run(
                small, "hol/" + round + "/idle", PipelineDriver.Pacing.every(INTERVAL), timeout()));
    log(round, "idle", run.latenciesMillis(), "  " + PipelineDriver.Phases.medians(run.phases()));
    return run.latenciesMillis();
  }

  /** The small files' latencies, and the big upload's MB/s and whether it outlasted them. */
  private Busy besideBigUpload(PipelineDriver driver, List<Path> small, Path big, int round)
      throws InterruptedException {
    UploadRequest bigRequest = driver.request(big, "hol/" + round + "/big", 0);
    driver.publish(bigRequest);
    Thread.sleep(DELAY.toMillis());
    PipelineDriver.Run run =
        SmallFilesCase.checked(
            driver.run(
                small, "hol/" + round + "/busy", PipelineDriver.Pacing.every(INTERVAL), timeout()));
    Map.Entry<UploadResult, Double> bigResult = driver.awaitResult(bigRequest, timeout());
    long lastPublished = run.publishedAtMillis() + (small.size() - 1) * INTERVAL.toMillis();
    boolean outlasted = bigResult.getKey().completedAt().toEpochMilli() > lastPublished;
    if (!bigResult.getKey().succeeded()) {
      throw new IllegalStateException("the big upload failed: " + bigResult.getKey());
    }
    double mbps = PipelineDriver.size(big) / 1e6 / (bigResult.getValue() / 1000);
    log(
        round,
        "beside a big upload",
        run.latenciesMillis(),
        String.format(
            "  %s  big %.0f MB/s%s",
            PipelineDriver.Phases.medians(run.phases()),
            mbps,
            outlasted ? "" : " (FINISHED BEFORE THE LAST SMALL REQUEST WAS PUBLISHED)"));
    return new Busy(run.latenciesMillis(), mbps, outlasted);
  }

  /** The small files' latencies while this JVM uploads the big file, outside the pipeline. */
  private List<Double> besideDirectUpload(
      PipelineDriver driver, DirectBigUpload direct, List<Path> small, Path big, int round)
      throws InterruptedException {
    DirectBigUpload.Running upload = direct.start(big, "hol/" + round + "/direct-big");
    Thread.sleep(DELAY.toMillis());
    PipelineDriver.Run run =
        SmallFilesCase.checked(
            driver.run(
                small,
                "hol/" + round + "/direct",
                PipelineDriver.Pacing.every(INTERVAL),
                timeout()));
    double mbps = upload.awaitMbps(timeout());
    log(
        round,
        "beside a direct one",
        run.latenciesMillis(),
        String.format(
            "  %s  big %.0f MB/s outside the pipeline",
            PipelineDriver.Phases.medians(run.phases()), mbps));
    return run.latenciesMillis();
  }

  private Duration timeout() {
    return Duration.ofMinutes(5);
  }

  private static void log(int round, String what, List<Double> latencies, String more) {
    Context.log(
        String.format(
            "  round %d  %-20s small files p50 %6.0f ms  p99 %6.0f ms  max %6.0f ms%s",
            round + 1,
            what,
            Series.percentile(latencies, 50),
            Series.percentile(latencies, 99),
            Series.percentile(latencies, 100),
            more));
  }

  private record Busy(List<Double> latencies, double bigMbps, boolean outlasted) {}

  /** The per-round figures of both contenders. */
  private static final class Rounds {
    final List<List<Double>> idle = new ArrayList<>();
    final List<Busy> busy = new ArrayList<>();
    final List<List<Double>> direct = new ArrayList<>();

    void idle(List<Double> latencies) {
      idle.add(latencies);
    }

    void busy(Busy round) {
      busy.add(round);
    }

    void direct(List<Double> latencies) {
      direct.add(latencies);
    }

    List<Series> series(Plan plan, String name, String consumption) {
      List<List<Double>> busyLatencies = busy.stream().map(Busy::latencies).toList();
      long outlasted = busy.stream().filter(Busy::outlasted).count();
      String setup =
          String.format(
              "%d x 64 KiB, one every %d ms over %d partitions, %s, 1 processor with"
                  + " default settings",
              plan.holSmallFiles(), INTERVAL.toMillis(), PARTITIONS, consumption);
      String big =
          String.format(
              "%d MiB on partition 0, requested %d ms before the first small file; it was still"
                  + " running when the last small request was published in %d of %d rounds",
              plan.holBigFileBytes() / Plan.MIB, DELAY.toMillis(), outlasted, busy.size());
      return List.of(
          new Series(name, IDLE_P50, "ms", per(idle, 50), setup),
          new Series(name, IDLE_P99, "ms", per(idle, 99), ""),
          new Series(name, IDLE_MAX, "ms", per(idle, 100), ""),
          new Series(name, BUSY_P50, "ms", per(busyLatencies, 50), big),
          new Series(name, BUSY_P99, "ms", per(busyLatencies, 99), ""),
          new Series(name, BUSY_MAX, "ms", per(busyLatencies, 100), ""),
          new Series(name, BIG, "MB/s", busy.stream().map(Busy::bigMbps).toList(), big),
          new Series(
              name,
              DIRECT_P50,
              "ms",
              per(direct, 50),
              "the same big file uploaded by MultipartUploader in the benchmark JVM to the same S3"
                  + " server, not through the processor: what the machine alone adds"),
          new Series(name, DIRECT_P99, "ms", per(direct, 99), ""),
          new Series(name, DIRECT_MAX, "ms", per(direct, 100), ""));
    }

    private static List<Double> per(List<List<Double>> rounds, double percentile) {
      return rounds.stream().map(latencies -> Series.percentile(latencies, percentile)).toList();
    }
  }
}
