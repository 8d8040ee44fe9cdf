package io.uploadstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bench/run [--quick]}: starts Kafka and S3Proxy (on disk) in child JVMs, generates the
 * files, runs the cases with alternating contenders and writes table, CSV, JSON and chart to {@code
 * bench-results/<timestamp>/}.
 */
@Command(
    name = "bench/run",
    mixinStandardHelpOptions = true,
    description = "Benchmark upload-stream against the AWS SDK and raw PutObject (BENCHMARKS.md).")
public final class BenchMain implements Callable<Integer> {
  static final List<String> ALL_CASES =
      List.of(
          "big", "small", "mixed", "memory", "scale", "hol", "idle", "share", "group1", "holshare");

  @Option(names = "--quick", description = "256 MiB file, 300 small files, 3 alternations.")
  boolean quick;

  @Option(
      names = "--cases",
      split = ",",
      description =
          "Cases to run, comma-separated: big,small,mixed,memory,scale,hol,idle (default: all;"
              + " quick: all but mixed).")
  List<String> cases;

  @Option(names = "--iterations", description = "Alternations per case (default 5, quick 3).")
  Integer iterations;

  @Option(names = "--latency-ms", description = "Latency added per S3 request in scale-out.")
  Integer latencyMillis;

  @Option(
      names = "--set",
      description =
          "Processor setting for every processor, e.g. --set processor.uploads-in-flight=16")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--processor-jvm-flag", description = "Extra JVM flag for every processor.")
  List<String> processorJvmFlags = new ArrayList<>();

  @Option(names = "--profile", description = "Record JFR and write the hottest methods.")
  boolean profile;

  @Option(
      names = "--experiment",
      description =
          "Optional extra contender: apache4 (big file: our uploader on the Apache 4 HTTP client the"
              + " processor used before Apache 5).")
  List<String> experiments = new ArrayList<>();

  @Option(
      names = "--no-cds",
      description = "Start the child JVMs without class-data sharing archives (target/bench-cds).")
  boolean noCds;

  @Option(names = "--keep-data", description = "Keep generated files in bench-results/data.")
  boolean keepData;

  @Option(names = "--jar", description = "The packaged jar with every command and the servers.")
  Path jar = Path.of("dev/target/upload-stream-dev.jar");

  @Option(names = "--results-dir", description = "Where run directories go.")
  Path resultsDir = Path.of("bench-results");

  @Option(
      names = "--rechart",
      description = "Only redraw chart.png of an earlier run directory from its results.json.")
  Path rechart;

  @Option(names = "--command", hidden = true)
  String command = "./bench/run";

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rechart != null) {
      Chart.write(Report.read(rechart.resolve("results.json")), rechart.resolve("chart.png"));
      return 0;
    }
    Plan plan = plan();
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    String started = now + "Z";
    Path out =
        resultsDir
            .toAbsolutePath()
            .resolve(
                now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + plan.name());
    Path work = out.resolve("work");
    Stack.createDirectories(work);
    long runStart = System.nanoTime();
    List<String> load = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    load.add("load before: " + Machine.load());
    Context.log("benchmark " + plan.name() + " -> " + out + " (" + load.get(0) + ")");
    Path dataDir = keepData ? resultsDir.resolve("data") : work.resolve("data");
    List<Series> series = new ArrayList<>();
    Results results = new Results();
    boolean allRan = true;
    Map<String, BenchCase> chosen = new LinkedHashMap<>();
    Phases timer = new Phases(phases);
    AppCds cds = new AppCds(Path.of("target", "bench-cds"), jar, !noCds);
    TestData data = new TestData(dataDir);
    CompletableFuture<Void> files = writeData(plan, data);
    try (Stack stack = Stack.start(jar, work, cds);
        Fleet fleet = new Fleet(stack, jar, out, cds)) {
      timer.end("Kafka and S3 servers (files written meanwhile)");
      Context ctx =
          new Context(
              plan,
              stack,
              fleet,
              jar,
              out,
              data,
              settings,
              processorJvmFlags,
              profile,
              experiments);
      for (String name : cases) {
        chosen.put(name, newCase(name, ctx));
      }
      fleet.setup("run").topics(1, "bench-dlq");
      chosen.forEach((name, c) -> c.prepare(fleet.setup(name)));
      fleet.createTopics();
      // Quick: the processors of the cases with one processor each start while the first case
      // warms up (each costs ~1.6 CPU s to start, then ~1.5 % of a core while it waits); the
      // scale-out case's six, which would take ~10 % of a core waiting, start when it comes.
      List<String> early =
          plan.earlyProcessors()
              ? cases.stream().filter(name -> !name.equals("scale")).toList()
              : List.of();
      early.forEach(fleet::start);
      files.join();
      timer.end("topics, files");
      String previous = null;
      for (var entry : chosen.entrySet()) {
        String name = entry.getKey();
        BenchCase current = entry.getValue();
        boolean starts = !early.contains(name);
        if (starts) {
          fleet.start(name);
        }
        if (previous != null) {
          fleet.stop(previous); // while this case's processors start, if any
        }
        if (current.needsProcessors()) {
          fleet.awaitReady(Duration.ofMinutes(3));
        }
        if (starts && current.needsProcessors()) {
          timer.end("starting processors of " + name);
        }
        Context.log("case " + name + " (" + Machine.load() + ")");
        fleet.caseStarts(name);
        try {
          series.addAll(current.run());
        } catch (RuntimeException e) {
          allRan = false;
          Context.log("case " + name + " FAILED: " + e);
          e.printStackTrace(System.out);
        }
        load.add(
            String.format(
                "load after %s: %s; processors of other cases, waiting, while it measured: %s",
                name, Machine.load(), fleet.idleShare()));
        previous = name;
        timer.end(name);
      }
      Context.awaitBackground(); // the last case's processors are killed with the fleet
      if (chosen.get("memory") instanceof MemoryCase memory) {
        results.memoryHeld = memory.held();
        results.memoryBytes = plan.memoryFileBytes();
      }
    } finally {
      chosen.values().forEach(BenchCase::close);
      cds.keepWritten();
      deleteTree(work);
    }
    timer.end("stopping servers, deleting files");
    load.add("load after: " + Machine.load());
    phases.add(0, String.format("wall time: %.0f s", (System.nanoTime() - runStart) / 1e9));
    load.add(String.join(", ", phases));
    Report report =
        new Report(
            started, command, plan, Machine.describe(), load, series, results.ratios(series));
    report.write(out);
    Chart.write(report, out.resolve("chart.png"));
    System.out.println();
    System.out.println(report.markdown());
    Context.log("written: " + out.resolve("table.md") + ", results.csv, results.json, chart.png");
    return allRan ? 0 : 1;
  }

  /** Writes every case's files on a thread of its own (the servers start meanwhile). */
  private CompletableFuture<Void> writeData(Plan plan, TestData data) {
    List<String> names = List.copyOf(cases);
    return CompletableFuture.runAsync(
        () -> {
          for (String name : names) {
            switch (name) {
              case "big" -> BigFileCase.writeData(plan, data);
              case "small" -> SmallFilesCase.writeData(plan, data);
              case "mixed" -> MixedCase.writeData(plan, data);
              case "memory" -> MemoryCase.writeData(plan, data);
              case "scale", "share", "group1" -> ScaleOutCase.writeData(plan, data);
              case "hol", "holshare" -> HeadOfLineCase.writeData(plan, data);
              case "idle" -> IdleLatencyCase.writeData(plan, data);
              default -> throw new IllegalArgumentException(name);
            }
          }
        },
        runnable -> {
          Thread thread = new Thread(runnable, "bench-data");
          thread.setDaemon(true);
          thread.start();
        });
  }

  /** Wall time of each phase of the run, for the report. */
  private static final class Phases {
    private final List<String> phases;
    private long since = System.nanoTime();

    Phases(List<String> phases) {
      this.phases = phases;
    }

    void end(String phase) {
      long now = System.nanoTime();
      phases.add(String.format("%s %.1f s", phase, (now - since) / 1e9));
      since = now;
    }
  }

  private Plan plan() {
    Plan plan = quick ? Plan.quick() : Plan.full();
    if (iterations != null) {
      plan = plan.withIterations(iterations);
    }
    if (latencyMillis != null) {
      plan = plan.withLatency(Duration.ofMillis(latencyMillis));
    }
    if (cases == null) {
      cases = plan.defaultCases();
    }
    for (String name : cases) {
      if (!ALL_CASES.contains(name)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "unknown case '" + name + "'; cases: " + ALL_CASES);
      }
    }
    return plan;
  }

  private static BenchCase newCase(String name, Context ctx) {
    return switch (name) {
      case "big" -> new BigFileCase(ctx);
      case "small" -> new SmallFilesCase(ctx);
      case "mixed" -> new MixedCase(ctx);
      case "memory" -> new MemoryCase(ctx);
      case "scale", "share", "group1" -> new ScaleOutCase(ctx, ScaleOutCase.Variant.of(name));
      case "hol" -> new HeadOfLineCase(ctx, false);
      case "holshare" -> new HeadOfLineCase(ctx, true);
      case "idle" -> new IdleLatencyCase(ctx);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** What the ratios need beyond the series. */
  private static final class Results {
    Boolean memoryHeld;
    long memoryBytes;

    List<Ratio> ratios(List<Series> series) {
      double nan = Double.NaN;
      List<Ratio> ratios = new ArrayList<>();
      ratios.add(
          new Ratio(
              "big file vs S3TransferManager",
              divide(series, BigFileCase.NAME, BigFileCase.OURS, BigFileCase.SDK),
              1.0,
              1.15,
              "MB/s median, MultipartUploader / S3TransferManager, both unsigned payload"));
      ratios.add(
          new Ratio(
              "big file signed vs S3TransferManager",
              divide(series, BigFileCase.NAME, BigFileCase.OURS_SIGNED, BigFileCase.SDK),
              nan,
              nan,
              "our default (SigV4 signs every payload byte over HTTP) / S3TransferManager"));
      ratios.add(
          new Ratio(
              "small files vs raw PutObject",
              divide(series, SmallFilesCase.NAME, SmallFilesCase.PIPELINE, SmallFilesCase.RAW),
              0.8,
              nan,
              "files/s median, pipeline / raw PutObject, same concurrency"));
      ratios.add(
          new Ratio(
              "mixed vs direct uploader",
              divide(series, MixedCase.NAME, MixedCase.PIPELINE, MixedCase.DIRECT),
              nan,
              nan,
              "MB/s median, pipeline / MultipartUploader without Kafka"));
      ratios.add(
          new Ratio(
              "memory bound holds",
              memoryHeld == null ? nan : memoryHeld ? 1 : 0,
              1,
              nan,
              memoryBytes / Plan.MIB + " MiB file through a -Xmx96m processor: 1 = succeeded"));
      for (int instances = 2; instances <= 3; instances++) {
        ratios.add(
            new Ratio(
                "scale-out " + instances + " instances",
                divide(
                    series,
                    ScaleOutCase.NAME,
                    ScaleOutCase.contender(instances),
                    ScaleOutCase.contender(1)),
                instances == 2 ? 1.7 : 2.4,
                nan,
                "files/s median, " + instances + " instances / 1 instance"));
      }
      for (int instances = 2; instances <= 3; instances++) {
        ratios.add(
            new Ratio(
                "share group, 1 partition, " + instances + " instances",
                divide(
                    series,
                    ScaleOutCase.Variant.SHARE.caseName,
                    ScaleOutCase.contender(instances),
                    ScaleOutCase.contender(1)),
                instances == 2 ? 1.7 : 2.4,
                nan,
                "files/s median, " + instances + " instances / 1 instance, one partition"));
        ratios.add(
            new Ratio(
                "consumer group, 1 partition, " + instances + " instances",
                divide(
                    series,
                    ScaleOutCase.Variant.GROUP_ONE_PARTITION.caseName,
                    ScaleOutCase.contender(instances),
                    ScaleOutCase.contender(1)),
                nan,
                nan,
                "files/s median, " + instances + " instances / 1 instance: ~1, one works"));
      }
      ratios.addAll(latencyRatios(series));
      return ratios;
    }

    /** The latency targets: at most, lower is better. */
    private static List<Ratio> latencyRatios(List<Series> series) {
      String hol = HeadOfLineCase.NAME;
      double idleP99 = median(series, hol, HeadOfLineCase.IDLE_P99);
      return List.of(
          Ratio.atMost(
              "small p99 beside a big upload / idle p99",
              divide(series, hol, HeadOfLineCase.BUSY_P99, HeadOfLineCase.IDLE_P99),
              2.0,
              "small-file latency p99 with a multi-GiB upload in flight / without, medians of"
                  + " rounds"),
          new Ratio(
              "small p99 beside a big upload outside the pipeline / idle p99",
              divide(series, hol, HeadOfLineCase.DIRECT_P99, HeadOfLineCase.IDLE_P99),
              Double.NaN,
              Double.NaN,
              "the same, the big file uploaded by the benchmark JVM instead of the processor:"
                  + " what sharing the machine with a big upload costs without any pipeline"),
          Ratio.atMost(
              "small max beside a big upload - idle p99 (ms)",
              median(series, hol, HeadOfLineCase.BUSY_MAX) - idleP99,
              1000,
              "longest small-file latency with the big upload in flight, minus the idle p99"),
          Ratio.atMost(
              "share: small p99 beside a big upload / idle p99",
              divide(
                  series,
                  HeadOfLineCase.SHARE_NAME,
                  HeadOfLineCase.BUSY_P99,
                  HeadOfLineCase.IDLE_P99),
              2.0,
              "the same through a share group (no lanes: the other members take the small"
                  + " files)"),
          Ratio.atMost(
              "idle latency p50 (ms)",
              median(series, IdleLatencyCase.NAME, IdleLatencyCase.P50),
              30,
              "publish -> committed result of a 64 KiB file, one request at a time"),
          Ratio.atMost(
              "processor CPU per small file (ms)",
              median(series, SmallFilesCase.NAME, SmallFilesCase.PROCESSOR_CPU),
              1.0,
              "processor JVM CPU ms per 64 KiB file in the small-file case, median of rounds"),
          new Ratio(
              "processor CPU per small file without JIT compilers (ms)",
              median(series, SmallFilesCase.NAME, SmallFilesCase.PROCESSOR_CPU_NO_JIT),
              Double.NaN,
              Double.NaN,
              "the same minus the JIT compiler threads' CPU in each round (warm-up still"
                  + " under way)"));
    }

    private static double divide(
        List<Series> series, String caseName, String numerator, String denominator) {
      return median(series, caseName, numerator) / median(series, caseName, denominator);
    }

    private static double median(List<Series> series, String caseName, String contender) {
      return series.stream()
          .filter(s -> s.caseName().equals(caseName) && s.contender().equals(contender))
          .mapToDouble(Series::median)
          .findFirst()
          .orElse(Double.NaN);
    }
  }
}
