package io.uploadstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file much larger than the heap through a processor started with {@code -Xmx96m}: it must
 * succeed. Peak heap is taken from the GC log (heap before each collection) and from {@code
 * jvm_memory_used_bytes} scraped every 250 ms; peak RSS from {@code /proc/<pid>/status} VmHWM.
 */
final class MemoryCase implements BenchCase {
  static final String NAME = "memory";
  static final String HEAP = "-Xmx96m";
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final String GROUP = "bench-memory";
  private static final String REQUESTS = "bench-memory-requests";
  private static final String RESULTS = "bench-memory-results";
  private static final String PROCESSOR = "memory";

  private final Context ctx;
  private Boolean held;

  MemoryCase(Context ctx) {
    this.ctx = ctx;
  }

  /** Whether every upload succeeded with the processor still alive; null before {@link #run}. */
  Boolean held() {
    return held;
  }

  private Path gcLog() {
    return ctx.out().resolve("memory-gc.log");
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    fleet.topics(1, REQUESTS, RESULTS);
    List<String> flags = List.of(HEAP, "-Xlog:gc:file=" + gcLog().toAbsolutePath());
    fleet.group(
        new Fleet.Group(
            PROCESSOR,
            1,
            1,
            ctx.processorConfig(GROUP, REQUESTS, RESULTS, Map.of()),
            ctx.processorFlags(flags)));
  }

  /** Writes the file of this case: the big file's when they are the same size (quick). */
  static Path writeData(Plan plan, TestData data) {
    return plan.memoryFileBytes() == plan.bigFileBytes()
        ? BigFileCase.file(plan, data)
        : data.file("memory.bin", plan.memoryFileBytes());
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Plan plan = ctx.plan();
    Path file = writeData(plan, ctx.data());
    Path gcLog = gcLog();
    ProcessorJvm processor = ctx.fleet().processor(PROCESSOR);
    try (PipelineDriver driver =
        new PipelineDriver(ctx.stack().bootstrapServers(), REQUESTS, RESULTS)) {
      ctx.beforeMeasuring();
      AtomicLong peakScrapedHeap = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      Thread sampler = new Thread(() -> sample(processor, peakScrapedHeap, stop), "bench-sampler");
      sampler.start();
      List<Double> mbps = new ArrayList<>();
      int failed = 0;
      try {
        for (int round = 0; round < plan.memoryIterations(); round++) {
          PipelineDriver.Run run =
              driver.run(List.of(file), "memory/" + round, Duration.ofMinutes(10));
          failed += run.failed();
          mbps.add(run.megabytesPerSecond());
          Context.log(
              String.format(
                  "  round %d  %d MiB through %s: %s, %.1f MB/s",
                  round + 1,
                  plan.memoryFileBytes() / Plan.MIB,
                  HEAP,
                  run.failed() == 0 ? "succeeded" : "FAILED",
                  run.megabytesPerSecond()));
          ctx.stack().deleteObjects("memory/");
        }
      } finally {
        stop.set(true);
        sampler.join();
      }
      boolean alive = processor.jvm().isAlive();
      long hwm = processor.jvm().statusBytes("VmHWM");
      if (ctx.profile()) {
        Profiler.dumpChild(
            processor.jvm().pid(), ctx.out().resolve("profile-memory-processor.jfr"));
      }
      double gcPeak = gcLogPeakMib(gcLog);
      String sizes = (plan.memoryFileBytes() / Plan.MIB) + " MiB file, " + HEAP;
      List<Series> series =
          List.of(
              new Series(NAME, "pipeline " + HEAP, "MB/s", mbps, sizes),
              new Series(NAME, "peak heap used (GC log, before GC)", "MiB", List.of(gcPeak), sizes),
              new Series(
                  NAME,
                  "peak heap used (/metrics, 250 ms samples)",
                  "MiB",
                  List.of(peakScrapedHeap.get() / (double) Plan.MIB),
                  "jvm_memory_used_bytes{area=heap}"),
              new Series(
                  NAME, "peak RSS (VmHWM)", "MiB", List.of(hwm / (double) Plan.MIB), "whole JVM"));
      held = failed == 0 && alive;
      return series;
    }
  }

  private static void sample(ProcessorJvm processor, AtomicLong peakHeap, AtomicBoolean stop) {
    while (!stop.get()) {
      double heap = processor.metric("jvm_memory_used_bytes", "area=\"heap\"");
      if (!Double.isNaN(heap)) {
        peakHeap.accumulateAndGet((long) heap, Math::max);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The largest heap occupancy before a collection in a {@code -Xlog:gc} log, in MiB. */
  static double gcLogPeakMib(Path gcLog) {
    try {
      long peak = 0;
      for (String line : Files.readAllLines(gcLog)) {
        Matcher matcher = GC_LINE.matcher(line);
        if (matcher.find()) {
          peak = Math.max(peak, Long.parseLong(matcher.group(1)));
        }
      }
      return peak;
    } catch (IOException e) {
      return Double.NaN;
    }
  }
}
