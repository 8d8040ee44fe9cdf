package io.uploadstream.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one user waits for on an idle processor: 64 KiB requests published one at a time, each a
 * moment after the previous one's result arrived, through one processor with default settings.
 * Latency is from the request handed to the producer to its committed result read ({@code
 * read_committed}) by the benchmark's results reader.
 */
final class IdleLatencyCase implements BenchCase {
  static final String NAME = "idle latency";
  static final String P50 = "publish -> committed result p50";
  static final String P99 = "publish -> committed result p99";

  /** After each result, so the processor is idle when the next request comes. */
  static final Duration GAP = Duration.ofMillis(50);

  private static final String GROUP = "bench-idle";
  private static final String REQUESTS = "bench-idle-requests";
  private static final String RESULTS = "bench-idle-results";
  private static final String PROCESSOR = "idle";
  private static final int PARTITIONS = 4;

  private final Context ctx;

  IdleLatencyCase(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    fleet.topics(PARTITIONS, REQUESTS, RESULTS);
    fleet.group(
        new Fleet.Group(
            PROCESSOR,
            1,
            PARTITIONS,
            ctx.processorConfig(GROUP, REQUESTS, RESULTS, Map.of()),
            ctx.processorFlags(List.of("-Xmx256m"))));
  }

  /** The small-file case's first files. */
  static List<Path> writeData(Plan plan, TestData data) {
    return data.files("small", plan.latencyFiles(), plan.smallFileBytes());
  }

  @Override
  public List<Series> run() throws InterruptedException {
    List<Path> files = writeData(ctx.plan(), ctx.data());
    ProcessorJvm processor = ctx.fleet().processor(PROCESSOR);
    try (PipelineDriver driver =
        new PipelineDriver(ctx.stack().bootstrapServers(), REQUESTS, RESULTS, PARTITIONS)) {
      PipelineDriver.Pacing oneByOne = PipelineDriver.Pacing.oneByOne(GAP);
      SmallFilesCase.checked(driver.run(files, "idle/warmup", oneByOne, Duration.ofMinutes(2)));
      ctx.beforeMeasuring();
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      List<Double> all = new ArrayList<>();
      List<PipelineDriver.Phases> phases = new ArrayList<>();
      CpuShares cpu = new CpuShares(ctx.stack(), List.of(processor.jvm()));
      for (int round = 0; round < ctx.plan().iterations(); round++) {
        cpu.start();
        PipelineDriver.Run run =
            SmallFilesCase.checked(
                driver.run(files, "idle/" + round, oneByOne, Duration.ofMinutes(2)));
        cpu.stop(files.size());
        p50.add(Series.percentile(run.latenciesMillis(), 50));
        p99.add(Series.percentile(run.latenciesMillis(), 99));
        all.addAll(run.latenciesMillis());
        phases.addAll(run.phases());
        Context.log(
            String.format(
                "  round %d  p50 %5.1f ms  p99 %5.1f ms  max %5.1f ms  %s",
                round + 1,
                p50.get(round),
                p99.get(round),
                run.latenciesMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                PipelineDriver.Phases.medians(run.phases())));
        ctx.stack().deleteObjects("idle/");
      }
      String notes =
          String.format(
              "%d requests of 64 KiB per round, one at a time, each %d ms after the previous"
                  + " result; all rounds: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f ms; %s; CPU"
                  + " ms/file: %s",
              files.size(),
              GAP.toMillis(),
              Series.percentile(all, 50),
              Series.percentile(all, 90),
              Series.percentile(all, 99),
              Series.percentile(all, 100),
              PipelineDriver.Phases.medians(phases),
              cpu.summary());
      return List.of(new Series(NAME, P50, "ms", p50, notes), new Series(NAME, P99, "ms", p99, ""));
    }
  }
}
