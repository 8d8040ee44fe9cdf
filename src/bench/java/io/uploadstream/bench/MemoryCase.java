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
final class MemoryCase {
  static final String NAME = "memory";
  static final String HEAP = "-Xmx96m";
  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final String GROUP = "bench-memory";
  private static final String REQUESTS = "bench-memory-requests";
  private static final String RESULTS = "bench-memory-results";

  private final Context ctx;

  MemoryCase(Context ctx) {
    this.ctx = ctx;
  }

  /** The series, and whether every upload succeeded with the processor still alive. */
  record Outcome(List<Series> series, boolean held) {}

  Outcome run() throws InterruptedException {
    Plan plan = ctx.plan();
    Path file = ctx.data().file("memory.bin", plan.memoryFileBytes());
    ctx.stack().createTopics(1, REQUESTS, RESULTS);
    Path gcLog = ctx.out().resolve("memory-gc.log");
    List<String> flags = List.of(HEAP, "-Xlog:gc:file=" + gcLog.toAbsolutePath());
    ProcessorJvm.Config config = ctx.processorConfig(GROUP, REQUESTS, RESULTS, Map.of());
    try (ProcessorJvm processor =
        ProcessorJvm.start(ctx.jar(), ctx.out(), "memory-1", config, ctx.processorFlags(flags))) {
      ProcessorJvm.awaitGroup(List.of(processor), 1, Duration.ofMinutes(2));
      PipelineDriver driver = new PipelineDriver(ctx.stack().bootstrapServers(), REQUESTS, RESULTS);
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
      return new Outcome(series, failed == 0 && alive);
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
