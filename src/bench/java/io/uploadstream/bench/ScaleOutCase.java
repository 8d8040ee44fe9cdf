package io.uploadstream.bench;

import io.uploadstream.dev.FaultInjectingProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same backlog through 1, 2 and 3 processor instances of one group, the S3 server behind a
 * proxy that adds a fixed latency to every request, so the work is I/O-bound as on a real network.
 * Three groups (1, 2 and 3 instances, each with its own topics) run side by side for the whole
 * case, so the rounds alternate without restarting JVMs; the idle groups only poll.
 */
final class ScaleOutCase {
  static final String NAME = "scale-out";

  private final Context ctx;

  ScaleOutCase(Context ctx) {
    this.ctx = ctx;
  }

  static String contender(int instances) {
    return instances + (instances == 1 ? " instance" : " instances");
  }

  List<Series> run() throws InterruptedException {
    Plan plan = ctx.plan();
    List<Path> files = ctx.data().files("small", plan.scaleOutFiles(), plan.smallFileBytes());
    Map<Integer, List<ProcessorJvm>> groups = new LinkedHashMap<>();
    try (FaultInjectingProxy proxy = startProxy(plan.scaleOutLatency())) {
      for (int instances = 1; instances <= 3; instances++) {
        groups.put(instances, startGroup(instances, proxy));
      }
      for (var group : groups.entrySet()) {
        ProcessorJvm.awaitGroup(group.getValue(), plan.scaleOutPartitions(), Duration.ofMinutes(3));
      }
      return measure(files, groups);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (List<ProcessorJvm> group : groups.values()) {
        for (ProcessorJvm processor : group) {
          processor.close();
        }
      }
    }
  }

  private List<Series> measure(List<Path> files, Map<Integer, List<ProcessorJvm>> groups)
      throws InterruptedException {
    Map<Integer, PipelineDriver> drivers = new LinkedHashMap<>();
    Map<Integer, List<Double>> rates = new LinkedHashMap<>();
    Map<Integer, List<Double>> p50 = new LinkedHashMap<>();
    Map<Integer, CpuShares> cpu = new LinkedHashMap<>();
    for (int instances : groups.keySet()) {
      cpu.put(
          instances,
          new CpuShares(
              ctx.stack(), groups.get(instances).stream().map(ProcessorJvm::jvm).toList()));
      drivers.put(
          instances,
          new PipelineDriver(
              ctx.stack().bootstrapServers(), requests(instances), results(instances)));
      rates.put(instances, new ArrayList<>());
      p50.put(instances, new ArrayList<>());
    }
    Context.log("  warm-up");
    List<Path> warmup = files.subList(0, Math.min(files.size(), 24));
    for (PipelineDriver driver : drivers.values()) {
      SmallFilesCase.checked(driver.run(warmup, "warmup/s", Duration.ofMinutes(5)));
    }
    List<Integer> order = new ArrayList<>(groups.keySet());
    for (int round = 0; round < ctx.plan().iterations(); round++) {
      StringBuilder line = new StringBuilder("  round " + (round + 1));
      for (int i = 0; i < order.size(); i++) {
        int instances = order.get((i + round) % order.size());
        cpu.get(instances).start();
        PipelineDriver.Run run =
            SmallFilesCase.checked(
                drivers
                    .get(instances)
                    .run(files, "scale/" + instances + "/" + round, Duration.ofMinutes(10)));
        cpu.get(instances).stop(files.size());
        rates.get(instances).add(run.filesPerSecond());
        p50.get(instances).add(Series.percentile(run.latenciesMillis(), 50));
        line.append(String.format("  %dx %6.1f files/s", instances, run.filesPerSecond()));
      }
      Context.log(line.toString());
      ctx.stack().deleteObjects("scale/");
    }
    List<Series> series = new ArrayList<>();
    String setup =
        String.format(
            "%d files of %d KiB, %d partitions, +%d ms per S3 request",
            files.size(),
            ctx.plan().smallFileBytes() / 1024,
            ctx.plan().scaleOutPartitions(),
            ctx.plan().scaleOutLatency().toMillis());
    rates.forEach(
        (instances, values) -> {
          CpuShares shares = cpu.get(instances);
          String notes =
              String.format(
                  "%s; latency p50 %.0f ms; CPU ms/file: %s (~%.1f cores busy)",
                  setup,
                  Series.percentile(p50.get(instances), 50),
                  shares.summary(),
                  shares.totalMillisPerFile() * Series.percentile(values, 50) / 1000);
          series.add(new Series(NAME, contender(instances), "files/s", values, notes));
        });
    return series;
  }

  private FaultInjectingProxy startProxy(Duration latency) throws IOException {
    return FaultInjectingProxy.start(ctx.stack().s3Endpoint()).latency(latency);
  }

  private List<ProcessorJvm> startGroup(int instances, FaultInjectingProxy proxy) {
    String requests = requests(instances);
    String results = results(instances);
    ctx.stack().createTopics(ctx.plan().scaleOutPartitions(), requests, results);
    ProcessorJvm.Config config =
        ctx.processorConfig(
            proxy.endpoint(), "bench-scale-" + instances, requests, results, Map.of());
    List<ProcessorJvm> group = new ArrayList<>();
    for (int i = 1; i <= instances; i++) {
      group.add(
          ProcessorJvm.start(
              ctx.jar(),
              ctx.out(),
              "scale-" + instances + "-" + i,
              config,
              ctx.processorFlags(List.of("-Xmx256m"))));
    }
    return group;
  }

  private static String requests(int instances) {
    return "bench-scale-" + instances + "-requests";
  }

  private static String results(int instances) {
    return "bench-scale-" + instances + "-results";
  }
}
