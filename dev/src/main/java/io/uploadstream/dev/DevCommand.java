package io.uploadstream.dev;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code upload-stream dev}: the whole pipeline on this machine with nothing installed — a real
 * Kafka broker, a real S3 server, topics, bucket and a processor — until Ctrl-C / SIGTERM, which
 * stop it cleanly. With {@code --demo FILE...} it uploads those files through the pipeline, prints
 * each result, fetches each URL and exits.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run Kafka (KRaft), an S3 server and a processor on this machine, nothing to install.",
      "Ctrl-C or SIGTERM stops it cleanly: uploads in flight get 10 s to finish.",
      "With --demo FILE..., upload the files through the pipeline, print the results, exit."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:stopped cleanly; with --demo: every file uploaded and its URL served it",
      "1:the stack failed, or a --demo file failed",
      "2:bad usage (nothing was started)"
    })
final class DevCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DevCommand.class);

  /** The processor's grace (10 s) and its abort wait, the S3 server and the broker. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(90);

  private static final Duration HEALTH_CHECK = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where broker and S3 data live (kept across restarts). Default: ${DEFAULT-VALUE}")
  Path dataDir = Path.of("upload-stream-data");

  @Option(
      names = "--allowed-root",
      paramLabel = "DIR",
      description =
          "Directory files may be uploaded from (repeatable). Default: current directory.")
  List<Path> allowedRoots = new ArrayList<>();

  @Option(names = "--kafka-port", description = "Default: ${DEFAULT-VALUE} (a free one if taken)")
  int kafkaPort = 9092;

  @Option(names = "--s3-port", description = "Default: ${DEFAULT-VALUE} (a free one if taken)")
  int s3Port = 9000;

  @Option(
      names = "--cdn-port",
      description =
          "CDN stand-in serving result URLs. Default: ${DEFAULT-VALUE} (a free one if taken)")
  int cdnPort = 9080;

  @Option(
      names = "--metrics-port",
      description =
          "Processor's /metrics and /health. Default: ${DEFAULT-VALUE} (a free one if taken)")
  int metricsPort = 9400;

  @Option(
      names = "--partitions",
      description = "Partitions of the topics. Default: ${DEFAULT-VALUE}")
  int partitions = 4;

  @Option(
      names = "--consumption",
      paramLabel = "group|share",
      description =
          "How the processor takes requests: a consumer group, or a share group (Kafka queues,"
              + " at-least-once results). Default: group (or processor.consumption from --set or"
              + " UPLOAD_STREAM_PROCESSOR_CONSUMPTION)")
  String consumption; // null: not given, so --set and the environment decide

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting of the processor dev starts, as for run (repeatable), e.g. --set"
              + " processor.allow-delete=true. UPLOAD_STREAM_* variables apply too; --set wins.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--prefix", description = "Key prefix for --demo. Default: ${DEFAULT-VALUE}")
  String prefix = "demo";

  @Option(
      names = "--demo",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Upload these files through the pipeline, print the results and exit.")
  List<Path> demoFiles = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Path file : demoFiles) {
      if (!Files.isRegularFile(file)) {
        spec.commandLine().getErr().println("upload-stream: no such file: " + file);
        return 2;
      }
    }
    DevLogging.quietKnownNoise();
    boolean demo = !demoFiles.isEmpty();
    StopOnSignal stop = StopOnSignal.register(Thread.currentThread(), demo, CLOSE_TIMEOUT);
    int status = 1;
    try (DevStack stack = DevStack.start(options())) {
      Path processorConfig = DevProperties.write(dataDir, stack.processorProperties());
      new DevBanner(out, stack, dataDir).print(demo ? null : processorConfig);
      status = demo ? new DemoRun(out, stack, prefix).run(demoFiles) : runUntilStopped(stack, stop);
    } finally {
      Thread.interrupted(); // a demo interrupted by a signal is closed like any other
      stop.finished(status);
    }
    return status;
  }

  /** Until a signal asks to stop (status 0), or the processor stops on its own (status 1). */
  private static int runUntilStopped(DevStack stack, StopOnSignal stop) {
    try {
      while (!stop.awaitRequest(HEALTH_CHECK)) {
        if (!stack.processor().isRunning()) {
          log.error(
              "the processor stopped: {}",
              stack.processor().failure().map(Throwable::toString).orElse("no reason given"));
          return 1;
        }
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private DevStack.Options options() {
    List<Path> roots = new ArrayList<>(allowedRoots);
    if (roots.isEmpty() && demoFiles.isEmpty()) {
      roots.add(Path.of("").toAbsolutePath());
    }
    for (Path file : demoFiles) {
      roots.add(file.toAbsolutePath().getParent());
    }
    return new DevStack.Options(
        dataDir,
        kafkaPort,
        s3Port,
        cdnPort,
        metricsPort,
        roots.stream().distinct().toList(),
        partitions,
        DevSettings.withConsumption(consumption, settings),
        System.getenv());
  }
}
