package io.uploadstream.cli;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.FileRequest;
import io.uploadstream.client.ProgressReader;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code upload-stream submit FILE...}: one upload request per file, optionally awaiting results.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Publish one upload request per FILE and print its request id, or with --wait its result.",
      "With --wait and topics.progress set, progress is shown while waiting (text output)."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      "0:all published (with --wait: all SUCCEEDED)",
      "1:a request could not be published, FAILED or had no result in time; or "
          + ExitCodes.UNREACHABLE,
      "2:bad usage, a file that cannot be submitted (e.g. no such file) or invalid settings:"
          + " nothing was published"
    })
final class SubmitCommand implements Callable<Integer> {
  /** How often progress is read while waiting for results. */
  private static final Duration PROGRESS_POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to upload.")
  List<Path> files;

  @Option(
      names = "--prefix",
      required = true,
      paramLabel = "PREFIX",
      description = "Key prefix, e.g. tmp.")
  String prefix;

  @Option(names = "--content-type", paramLabel = "TYPE", description = "Stored Content-Type.")
  String contentType;

  @Option(
      names = "--file-name",
      paramLabel = "NAME",
      description = "Name used in the key instead of the file's (only with one FILE).")
  String fileName;

  @Option(
      names = "--metadata",
      paramLabel = "KEY=VALUE",
      description = "User metadata stored with each object (repeatable).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Mixin ObjectArgs objectArgs;

  @Option(
      names = "--remote-dir",
      paramLabel = "DIR",
      description =
          "Directory in which the processor sees the files (e.g. a shared volume); files need not"
              + " exist here then.")
  String remoteDir;

  @Option(names = "--wait", description = "Wait for each result and print it.")
  boolean waitForResults;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description =
          "text (default) or json: one JSON object per line, {requestId, file, filePath} per"
              + " request, or with --wait each result (with the local file) as it arrives.")
  OutputFormat output = OutputFormat.TEXT;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long --wait waits for all results (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** One file and the request made for it. */
  private record Submission(Path file, UploadRequest request) {
    String requestId() {
      return request.requestId();
    }
  }

  @Override
  public Integer call() {
    List<Submission> submissions = submissions();
    ClientSettings settings = config.loader().clientSettings();
    KafkaPreflight.check(settings);
    ResultPrinter printer =
        new ResultPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
    if (!waitForResults) {
      List<Submission> published = publish(settings, submissions, printer);
      published.forEach(s -> printer.submitted(s.file(), s.request()));
      return published.size() == submissions.size() ? ExitCodes.OK : ExitCodes.FAILED;
    }
    // Opened first: their positions are fixed before any request exists, so nothing is missed.
    try (ResultsReader results = ResultsReader.fromEnd(settings);
        ProgressReader progress = openProgress(settings)) {
      List<Submission> published = publish(settings, submissions, printer);
      boolean allSucceeded = awaitResults(results, progress, published, printer);
      return allSucceeded && published.size() == submissions.size()
          ? ExitCodes.OK
          : ExitCodes.FAILED;
    }
  }

  /** Checks the command line and builds every request before anything is published. */
  private List<Submission> submissions() {
    if (fileName != null && files.size() > 1) {
      throw usage("--file-name needs exactly one FILE, got " + files.size());
    }
    objectArgs.problem().ifPresent(problem -> throwUsage(problem));
    if (remoteDir == null) {
      List<String> unusable =
          files.stream().map(SubmitCommand::problem).flatMap(Optional::stream).toList();
      if (!unusable.isEmpty()) {
        throw new InputError(String.join("; ", unusable));
      }
    }
    try {
      return files.stream().map(file -> new Submission(file, request(file))).toList();
    } catch (IllegalArgumentException e) {
      throw new InputError(e.getMessage());
    }
  }

  /** Why a local file cannot be submitted, if it cannot. */
  private static Optional<String> problem(Path file) {
    if (!Files.exists(file)) {
      return Optional.of("no such file: " + file);
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of("not a regular file: " + file);
    }
    return Optional.empty();
  }

  private UploadRequest request(Path file) {
    FileRequest request = FileRequest.of(file, prefix).metadata(metadata);
    if (contentType != null) {
      request.contentType(contentType);
    }
    if (fileName != null) {
      request.fileName(fileName);
    }
    if (remoteDir != null) {
      request.remoteDir(remoteDir);
    }
    return objectArgs.applyTo(request).build();
  }

  /** Publishes every request; returns those the broker acknowledged, reporting the others. */
  private static List<Submission> publish(
      ClientSettings settings, List<Submission> submissions, ResultPrinter printer) {
    Map<Submission, CompletableFuture<RecordMetadata>> sent = new LinkedHashMap<>();
    try (UploadRequests requests = UploadRequests.connect(settings)) {
      submissions.forEach(s -> sent.put(s, requests.publish(s.request())));
    } // close() waits until every send is acknowledged or has failed
    List<Submission> published = new ArrayList<>();
    sent.forEach(
        (submission, acknowledged) -> {
          try {
            acknowledged.join();
            published.add(submission);
          } catch (CompletionException e) {
            printer.publishFailed(submission.file(), e.getCause());
          }
        });
    return published;
  }

  /**
   * The progress events of the requests about to be published, or null (no progress shown) when no
   * progress topic is set or it cannot be read: progress is a nicety, never a reason to fail.
   */
  private ProgressReader openProgress(ClientSettings settings) {
    if (settings.topics().progress().isEmpty() || output == OutputFormat.JSON) {
      return null;
    }
    try {
      return ProgressReader.fromEnd(settings);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("upload-stream: no progress shown: " + e.getMessage());
      return null;
    }
  }

  /**
   * Prints each result as it arrives (with progress meanwhile, when {@code progress} is not null),
   * then the requests without one; true if all succeeded.
   */
  private boolean awaitResults(
      ResultsReader results,
      ProgressReader progress,
      List<Submission> published,
      ResultPrinter printer) {
    Map<String, Submission> byId =
        published.stream().collect(Collectors.toMap(Submission::requestId, Function.identity()));
    ProgressBar bars = new ProgressBar(spec.commandLine().getOut(), Terminal.isInteractive());
    published.forEach(s -> bars.track(s.requestId(), s.file()));
    Runnable showProgress =
        progress == null ? () -> {} : () -> progress.poll(Duration.ZERO).forEach(bars::update);
    Map<String, UploadResult> arrived =
        results.await(
            byId.keySet(),
            timeout,
            result -> {
              showProgress.run(); // catch up first: the last progress may still be unread
              Path file = byId.get(result.requestId()).file();
              bars.finished(result.requestId(), () -> printer.finished(file, result));
            },
            PROGRESS_POLL,
            showProgress);
    published.stream()
        .filter(s -> !arrived.containsKey(s.requestId()))
        .forEach(
            s ->
                bars.finished(
                    s.requestId(), () -> printer.missing(s.file(), s.requestId(), timeout)));
    return arrived.size() == published.size()
        && arrived.values().stream().allMatch(UploadResult::succeeded);
  }

  private void throwUsage(String message) {
    throw usage(message);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
