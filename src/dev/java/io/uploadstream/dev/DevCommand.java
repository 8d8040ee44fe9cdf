package io.uploadstream.dev;

import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.config.ClientSettings;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code upload-stream dev}: the whole pipeline on this machine with nothing installed — a real
 * Kafka broker, a real S3 server, topics, bucket and a processor — until Ctrl-C. With {@code --demo
 * FILE...} it uploads those files through the pipeline, prints each result and exits.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run Kafka (KRaft), an S3 server and a processor on this machine, nothing to install.",
      "With --demo FILE..., upload the files through the pipeline, print the results, exit."
    })
final class DevCommand implements Callable<Integer> {
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
      names = "--partitions",
      description = "Partitions of the topics. Default: ${DEFAULT-VALUE}")
  int partitions = 4;

  @Option(names = "--prefix", description = "Key prefix for --demo. Default: ${DEFAULT-VALUE}")
  String prefix = "demo";

  @Option(
      names = "--demo",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Upload these files through the pipeline, print the results and exit.")
  List<Path> demoFiles = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (Path file : demoFiles) {
      if (!Files.isRegularFile(file)) {
        spec.commandLine().getErr().println("upload-stream: no such file: " + file);
        return 2;
      }
    }
    try (DevStack stack = DevStack.start(options())) {
      printBanner(out, stack);
      if (!demoFiles.isEmpty()) {
        return demo(out, stack);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dev-shutdown"));
      stopped.await();
      return 0;
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
        dataDir, kafkaPort, s3Port, roots.stream().distinct().toList(), partitions, Map.of());
  }

  private void printBanner(PrintWriter out, DevStack stack) {
    out.println("upload-stream dev is running");
    out.println("  Kafka bootstrap : " + stack.bootstrapServers());
    out.println(
        "  S3 endpoint     : "
            + stack.s3Endpoint()
            + "  (bucket "
            + DevStack.BUCKET
            + ", keys "
            + stack.s3().accessKey()
            + " / "
            + stack.s3().secretKey()
            + ")");
    out.println("  Data directory  : " + dataDir.toAbsolutePath());
    out.println("  Allowed roots   : " + stack.settings().processor().allowedRoots());
    if (demoFiles.isEmpty()) {
      out.println("Submit a file from another terminal:");
      out.println(
          "  java -jar target/upload-stream.jar submit --bootstrap-servers "
              + stack.bootstrapServers()
              + " --prefix tmp --wait README.md");
      out.println("Stop with Ctrl-C.");
    }
    out.flush();
  }

  private int demo(PrintWriter out, DevStack stack) throws Exception {
    ClientSettings client = stack.settings().client();
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, UploadResult> results;
    long start = System.nanoTime();
    try (ResultsReader reader = ResultsReader.fromEnd(client);
        UploadRequests requests = UploadRequests.connect(client)) {
      for (Path file : demoFiles) {
        UploadRequest request = UploadRequests.forFile(file.toAbsolutePath(), prefix);
        requests.publish(request).get();
        files.put(request.requestId(), file);
      }
      results = reader.await(files.keySet(), Duration.ofMinutes(30), r -> {});
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int failed = 0;
    for (Map.Entry<String, Path> entry : files.entrySet()) {
      UploadResult result = results.get(entry.getKey());
      if (result == null || !result.succeeded()) {
        failed++;
      }
      out.println(describe(entry.getValue(), result));
    }
    out.printf(Locale.ROOT, "%d file(s) in %.2f s%n", files.size(), seconds);
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private static String describe(Path file, UploadResult result) {
    if (result == null) {
      return file + ": no result";
    }
    if (!result.succeeded()) {
      return file + ": FAILED " + result.error().code() + ": " + result.error().message();
    }
    double seconds =
        Math.max(1e-3, Duration.between(result.startedAt(), result.completedAt()).toNanos() / 1e9);
    return String.format(
        Locale.ROOT,
        "%s%n  key  %s%n  url  %s%n  size %d bytes, %.1f MB/s",
        file,
        result.key(),
        result.cdnUrl(),
        result.size(),
        result.size() / 1e6 / seconds);
  }
}
