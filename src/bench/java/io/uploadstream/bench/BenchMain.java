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
  static final List<String> ALL_CASES = List.of("big", "small", "mixed", "memory", "scale");

  @Option(names = "--quick", description = "256 MiB file, 300 small files, 3 alternations.")
  boolean quick;

  @Option(
      names = "--cases",
      split = ",",
      description =
          "Cases to run, comma-separated: big,small,mixed,memory,scale (default: all; quick:"
              + " all but mixed).")
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
          "Optional extra contender: apache5 (big file: our uploader on the Apache 5 HTTP client).")
  List<String> experiments = new ArrayList<>();

  @Option(names = "--keep-data", description = "Keep generated files in bench-results/data.")
  boolean keepData;

  @Option(names = "--jar", description = "The packaged processor jar.")
  Path jar = Path.of("target/upload-stream.jar");

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
    List<String> load = new ArrayList<>();
    load.add("load before: " + Machine.load());
    Context.log("benchmark " + plan.name() + " -> " + out + " (" + load.get(0) + ")");
    Path dataDir = keepData ? resultsDir.resolve("data") : work.resolve("data");
    List<Series> series = new ArrayList<>();
    Results results = new Results();
    boolean allRan = true;
    try (Stack stack = Stack.start(jar, work)) {
      stack.createTopics(1, "bench-dlq");
      Context ctx =
          new Context(
              plan,
              stack,
              jar,
              out,
              new TestData(dataDir),
              settings,
              processorJvmFlags,
              profile,
              experiments);
      for (String name : cases) {
        Context.log("case " + name + " (" + Machine.load() + ")");
        try {
          series.addAll(runCase(name, ctx, results));
        } catch (RuntimeException e) {
          allRan = false;
          Context.log("case " + name + " FAILED: " + e);
          e.printStackTrace(System.out);
        }
        load.add("load after " + name + ": " + Machine.load());
      }
    } finally {
      deleteTree(work);
    }
    load.add("load after: " + Machine.load());
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

  private static List<Series> runCase(String name, Context ctx, Results results)
      throws InterruptedException {
    return switch (name) {
      case "big" -> new BigFileCase(ctx).run();
      case "small" -> new SmallFilesCase(ctx).run();
      case "mixed" -> new MixedCase(ctx).run();
      case "memory" -> {
        MemoryCase.Outcome outcome = new MemoryCase(ctx).run();
        results.memoryHeld = outcome.held();
        results.memoryBytes = ctx.plan().memoryFileBytes();
        yield outcome.series();
      }
      case "scale" -> new ScaleOutCase(ctx).run();
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
      return ratios;
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
