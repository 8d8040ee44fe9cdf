package io.uploadstream.bench;

import io.uploadstream.s3.S3Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Many small files through the whole pipeline (requests published, results read, one processor in
 * its own JVM with {@code smallConcurrency} uploads in flight) against plain PutObject calls from
 * this JVM with the same concurrency on the same files: the ratio is what Kafka and the pipeline
 * cost per file.
 */
final class SmallFilesCase implements BenchCase {
  static final String NAME = "small files";
  static final String PIPELINE = "pipeline (1 processor)";
  static final String RAW = "raw PutObject from the benchmark JVM";
  static final String PROCESSOR_CPU = "processor CPU per file";
  static final String PROCESSOR_CPU_NO_JIT = "processor CPU per file, JIT compilers excluded";

  /** Thread names of HotSpot's JIT compilers in /proc ("C2 CompilerThread0", cut at 15). */
  private static final String JIT_THREADS = "C# CompilerThre";

  private static final double JIT_SETTLED = 0.05;

  private static final String GROUP = "bench-small";
  private static final String REQUESTS = "bench-small-requests";
  private static final String RESULTS = "bench-small-results";
  private static final String PROBE = "bench-probe";
  private static final String PROCESSOR = "small";

  private final Context ctx;

  SmallFilesCase(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    Plan plan = ctx.plan();
    fleet.topics(plan.scaleOutPartitions(), REQUESTS, RESULTS, PROBE);
    ProcessorJvm.Config config =
        ctx.processorConfig(
            GROUP,
            REQUESTS,
            RESULTS,
            Map.of("processor.uploads-in-flight", Integer.toString(plan.smallConcurrency())));
    fleet.group(
        new Fleet.Group(
            PROCESSOR,
            1,
            plan.scaleOutPartitions(),
            config,
            ctx.processorFlags(List.of("-Xmx1g"))));
  }

  /** Writes the files of this case. */
  static List<Path> writeData(Plan plan, TestData data) {
    return data.files("small", plan.smallFiles(), plan.smallFileBytes());
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Plan plan = ctx.plan();
    List<Path> files = writeData(plan, ctx.data());
    int concurrency = plan.smallConcurrency();
    ProcessorJvm processor = ctx.fleet().processor(PROCESSOR);
    try (PipelineDriver driver =
            new PipelineDriver(ctx.stack().bootstrapServers(), REQUESTS, RESULTS);
        DirectUploads direct = new DirectUploads(concurrency);
        S3Client s3 = S3Clients.create(ctx.stack().connection(true, concurrency + 8))) {
      List<Path> warmup = plan.warmup(files);
      Context.log("  warm-up: " + warmup.size() + " files each");
      double rawSeconds = direct.putAll(s3, warmup, "warmup/raw");
      warmUpPipeline(driver, warmup, processor, warmup.size() / rawSeconds);
      ctx.beforeMeasuring();
      List<Series> series = new ArrayList<>(measure(files, processor, driver, direct, s3));
      series.add(
          new Series(
              NAME,
              "one result transaction (16 records, offsets)",
              "ms",
              TransactionProbe.measure(
                  ctx.stack(), PROBE, plan.scaleOutPartitions(), plan.probeTransactions()),
              "begin, send, offsets, commit, one every 100 ms: what the processor's loop waits"
                  + " for at each commit (at most every processor.commit-interval)"));
      if (ctx.profile()) {
        Profiler.dumpChild(
            processor.jvm().pid(), ctx.out().resolve("profile-small-files-processor.jfr"));
      }
      return series;
    }
  }

  /**
   * The processor is a fresh JVM, while the raw contender's SDK code runs in this JVM, already
   * compiled by the big-file case: the pipeline gets passes until its JIT compilers are done (their
   * threads took under {@link #JIT_SETTLED} of its CPU in the last pass), at least {@link
   * Plan#pipelineWarmupPasses()} and at most {@link Plan#maxPipelineWarmupPasses()}. Compiling the
   * SDK, Kafka and our code costs a processor a few CPU seconds once; measured before it is done,
   * it would count as a cost per file (0.3 ms of 1.2 in a run with three fixed passes).
   */
  private void warmUpPipeline(
      PipelineDriver driver, List<Path> warmup, ProcessorJvm processor, double rawFilesPerSecond)
      throws InterruptedException {
    for (int pass = 1; pass <= ctx.plan().maxPipelineWarmupPasses(); pass++) {
      ThreadCpu threads = new ThreadCpu(processor.jvm().pid());
      threads.start();
      PipelineDriver.Run run =
          checked(driver.run(warmup, "warmup/p" + pass, Duration.ofMinutes(5)));
      threads.stop();
      double jit = threads.share(JIT_THREADS);
      Context.log(
          String.format(
              "  warm-up  pipeline %7.0f files/s (pass %d, JIT compilers %4.1f %% of the"
                  + " processor's CPU)  raw PutObject %7.0f files/s",
              run.filesPerSecond(), pass, 100 * jit, rawFilesPerSecond));
      ctx.stack().deleteObjects("warmup/");
      if (pass >= ctx.plan().pipelineWarmupPasses() && jit < JIT_SETTLED) {
        return;
      }
    }
  }

  private List<Series> measure(
      List<Path> files,
      ProcessorJvm processor,
      PipelineDriver driver,
      DirectUploads direct,
      S3Client s3)
      throws InterruptedException {
    List<Double> pipeline = new ArrayList<>();
    List<Double> raw = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> inFlight = new ArrayList<>();
    CpuShares pipelineCpu = new CpuShares(ctx.stack(), List.of(processor.jvm()));
    CpuShares rawCpu = new CpuShares(ctx.stack(), List.of());
    ThreadCpu processorThreads = new ThreadCpu(processor.jvm().pid());
    List<Double> jitShares = new ArrayList<>();
    for (int round = 0; round < ctx.plan().iterations(); round++) {
      boolean pipelineFirst = round % 2 == 0;
      for (int step = 0; step < 2; step++) {
        String prefix = "small/" + round;
        if ((step == 0) == pipelineFirst) {
          ThreadCpu roundThreads = new ThreadCpu(processor.jvm().pid());
          pipelineCpu.start();
          processorThreads.start();
          roundThreads.start();
          PipelineDriver.Run run = checked(driver.run(files, prefix + "/p", Duration.ofMinutes(5)));
          inFlight.add(run.averageInFlight());
          pipelineCpu.stop(files.size());
          processorThreads.stop();
          roundThreads.stop();
          jitShares.add(roundThreads.share(JIT_THREADS));
          pipeline.add(run.filesPerSecond());
          p50.add(Series.percentile(run.latenciesMillis(), 50));
          p99.add(Series.percentile(run.latenciesMillis(), 99));
          Context.log(
              String.format(
                  "  round %d  pipeline %7.0f files/s  p50 %5.0f ms  p99 %5.0f ms",
                  round + 1, run.filesPerSecond(), p50.get(round), p99.get(round)));
        } else {
          rawCpu.start();
          double seconds = direct.putAll(s3, files, prefix + "/raw");
          rawCpu.stop(files.size());
          raw.add(files.size() / seconds);
          Context.log(
              String.format("  round %d  raw PutObject %7.0f files/s", round + 1, raw.get(round)));
        }
      }
      ctx.stack().deleteObjects("small/");
    }
    writeThreads(processorThreads.perFile(files.size() * ctx.plan().iterations()));
    String latency =
        String.format(
            "latency publish->result p50 %.0f ms, p99 %.0f ms (median of rounds; all %d requests"
                + " published at once); uploads in flight: %.1f of %d on average; CPU ms/file: %s",
            Series.percentile(p50, 50),
            Series.percentile(p99, 50),
            files.size(),
            Series.percentile(inFlight, 50),
            Integer.parseInt(
                ctx.processorSettings()
                    .getOrDefault(
                        "processor.uploads-in-flight",
                        Integer.toString(ctx.plan().smallConcurrency()))),
            pipelineCpu.summary());
    int concurrency = ctx.plan().smallConcurrency();
    return List.of(
        new Series(NAME, PIPELINE, "files/s", pipeline, latency),
        new Series(NAME, "latency p50", "ms", p50, ""),
        new Series(NAME, "latency p99", "ms", p99, ""),
        new Series(
            NAME,
            PROCESSOR_CPU,
            "ms",
            pipelineCpu.perFile("processor"),
            "CPU time of the processor JVM (/proc) per 64 KiB file, each round"),
        new Series(
            NAME,
            PROCESSOR_CPU_NO_JIT,
            "ms",
            withoutJit(pipelineCpu.perFile("processor"), jitShares),
            "the same without the JIT compiler threads (their share of each round: "
                + jitShares.stream().map(s -> String.format("%.0f %%", 100 * s)).toList()
                + "); by thread: small-files-processor-threads.txt"),
        new Series(
            NAME,
            RAW,
            "files/s",
            raw,
            concurrency + " PutObject calls at once; CPU ms/file: " + rawCpu.summary()));
  }

  private static List<Double> withoutJit(List<Double> perFile, List<Double> jitShares) {
    List<Double> rest = new ArrayList<>();
    for (int i = 0; i < perFile.size(); i++) {
      rest.add(perFile.get(i) * (1 - jitShares.get(i)));
    }
    return rest;
  }

  /** The processor's CPU by thread over the measured rounds: where its milliseconds per file go. */
  private void writeThreads(String perFile) {
    try {
      Files.writeString(ctx.out().resolve("small-files-processor-threads.txt"), perFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PipelineDriver.Run checked(PipelineDriver.Run run) {
    if (run.failed() > 0) {
      throw new IllegalStateException(run.failed() + " uploads failed; see the processor's log");
    }
    return run;
  }
}
