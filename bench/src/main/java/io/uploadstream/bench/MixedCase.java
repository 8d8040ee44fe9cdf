package io.uploadstream.bench;

import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.UploadListener;
import io.uploadstream.upload.UploaderSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Big and small files mixed, through one processor with default settings; beside it the same files
 * uploaded from this JVM by {@link MultipartUploader} with as many uploads at once as the processor
 * runs ({@code processor.uploads-in-flight}, default 8).
 */
final class MixedCase implements BenchCase {
  static final String NAME = "mixed";
  static final String PIPELINE = "pipeline (1 processor, defaults)";
  static final String DIRECT = "MultipartUploader from the benchmark JVM";

  private static final int UPLOADS_IN_FLIGHT = 8;
  private static final String GROUP = "bench-mixed";
  private static final String REQUESTS = "bench-mixed-requests";
  private static final String RESULTS = "bench-mixed-results";
  private static final String PROCESSOR = "mixed";

  private final Context ctx;

  MixedCase(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public void prepare(Fleet.Setup fleet) {
    Plan plan = ctx.plan();
    fleet.topics(plan.scaleOutPartitions(), REQUESTS, RESULTS);
    fleet.group(
        new Fleet.Group(
            PROCESSOR,
            1,
            plan.scaleOutPartitions(),
            ctx.processorConfig(GROUP, REQUESTS, RESULTS, Map.of()),
            ctx.processorFlags(List.of("-Xmx1g"))));
  }

  /** Writes the files of this case. */
  static void writeData(Plan plan, TestData data) {
    files(plan, data);
  }

  @Override
  public List<Series> run() throws InterruptedException {
    Plan plan = ctx.plan();
    List<Path> files = files(plan, ctx.data());
    long bytes = files.stream().mapToLong(PipelineDriver::size).sum();
    ProcessorJvm processor = ctx.fleet().processor(PROCESSOR);
    ExecutorService partThreads = Executors.newCachedThreadPool();
    int connections = UPLOADS_IN_FLIGHT * UploaderSettings.DEFAULTS.partsInFlight() + 8;
    try (DirectUploads direct = new DirectUploads(UPLOADS_IN_FLIGHT);
        S3Client s3 = S3Clients.create(ctx.stack().connection(true, connections));
        PipelineDriver driver =
            new PipelineDriver(ctx.stack().bootstrapServers(), REQUESTS, RESULTS)) {
      MultipartUploader uploader =
          new MultipartUploader(
              s3, UploaderSettings.DEFAULTS, partThreads, UploadListener.NONE, Clock.systemUTC());
      Context.log("  warm-up");
      List<Path> warmup = files.subList(0, Math.min(files.size(), 60));
      SmallFilesCase.checked(driver.run(warmup, "warmup/p", Duration.ofMinutes(5)));
      direct.uploadAll(uploader, warmup, "warmup/d");
      ctx.stack().deleteObjects("warmup/");
      ctx.beforeMeasuring();
      List<Double> pipeline = new ArrayList<>();
      List<Double> directMbps = new ArrayList<>();
      for (int round = 0; round < plan.iterations(); round++) {
        boolean pipelineFirst = round % 2 == 0;
        for (int step = 0; step < 2; step++) {
          String prefix = "mixed/" + round;
          if ((step == 0) == pipelineFirst) {
            PipelineDriver.Run run =
                SmallFilesCase.checked(driver.run(files, prefix + "/p", Duration.ofMinutes(10)));
            pipeline.add(run.megabytesPerSecond());
          } else {
            directMbps.add(bytes / 1e6 / direct.uploadAll(uploader, files, prefix + "/d"));
          }
        }
        Context.log(
            String.format(
                "  round %d  pipeline %6.1f MB/s  direct %6.1f MB/s",
                round + 1, pipeline.get(round), directMbps.get(round)));
        ctx.stack().deleteObjects("mixed/");
      }
      if (ctx.profile()) {
        Profiler.dumpChild(processor.jvm().pid(), ctx.out().resolve("profile-mixed-processor.jfr"));
      }
      String what =
          String.format(
              "%d x %d MiB + %d x %d KiB, %d uploads in flight",
              plan.mixedBigFiles(),
              plan.mixedBigFileBytes() / Plan.MIB,
              plan.mixedSmallFiles(),
              plan.smallFileBytes() / 1024,
              UPLOADS_IN_FLIGHT);
      return List.of(
          new Series(NAME, PIPELINE, "MB/s", pipeline, what),
          new Series(NAME, DIRECT, "MB/s", directMbps, what));
    } finally {
      partThreads.shutdownNow();
    }
  }

  /** The big files spread evenly among the small ones, so both kinds are always in flight. */
  private static List<Path> files(Plan plan, TestData data) {
    List<Path> big = data.files("mixed-big", plan.mixedBigFiles(), plan.mixedBigFileBytes());
    List<Path> small = data.files("small", plan.mixedSmallFiles(), plan.smallFileBytes());
    List<Path> mixed = new ArrayList<>();
    int smallPerBig = small.size() / Math.max(1, big.size());
    int next = 0;
    for (Path file : big) {
      mixed.add(file);
      for (int i = 0; i < smallPerBig && next < small.size(); i++) {
        mixed.add(small.get(next++));
      }
    }
    mixed.addAll(small.subList(next, small.size()));
    return mixed;
  }
}
