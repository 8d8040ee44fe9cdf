package io.uploadstream.cli;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.contract.UploadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code upload-stream results}: prints results, once or until interrupted, filtered if asked. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Print upload results, one per line: JSON as written (default) or text.",
      "Without --follow: those on the topic when the command starts (none unless"
          + " --from-beginning or --request-id), then exit. With --follow: run until interrupted"
          + " (Ctrl-C), --timeout passes, or every --request-id has its result."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      "0:listed; with --request-id: each one has a SUCCEEDED result",
      "1:a --request-id has no result (in time) or a FAILED one; or " + ExitCodes.UNREACHABLE,
      ExitCodes.USAGE_LINE
    })
final class ResultsCommand implements Callable<Integer> {
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = "--follow", description = "Keep printing new results until interrupted.")
  boolean follow;

  @Option(names = "--from-beginning", description = "Start with the oldest result on the topic.")
  boolean fromBeginning;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description =
          "Only the result of this request (repeatable). Reads the whole topic; with --follow,"
              + " waits for the ids that have no result yet and exits once all have one.")
  List<String> requestIds = new ArrayList<>();

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only results with this status: SUCCEEDED or FAILED.")
  UploadResult.Status status;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description =
          "json (default): each result as written, one per line; text: <requestId> SUCCEEDED"
              + " <key> <url> (<size> bytes) or <requestId> FAILED <code>: <message>.")
  OutputFormat output = OutputFormat.JSON;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --follow: stop after this long, e.g. 5m (default: no limit).")
  Duration timeout;

  @Override
  public Integer call() {
    ClientSettings settings = config.loader().clientSettings();
    KafkaPreflight.check(settings);
    ResultPrinter printer =
        new ResultPrinter(spec.commandLine().getOut(), spec.commandLine().getErr(), output);
    ResultFilter filter = new ResultFilter(requestIds, status);
    InterruptOnShutdown stop = follow ? InterruptOnShutdown.register(Thread.currentThread()) : null;
    try (ResultsReader results = open(settings)) {
      print(results, printer, filter);
    } catch (InterruptException e) {
      Thread.currentThread().interrupt(); // Ctrl-C (or the caller): the normal end of --follow
    } finally {
      if (stop != null) {
        stop.finished(); // after the reader is closed: only then may a Ctrl-C'd JVM exit
      }
    }
    for (String id : filter.unseen()) { // exit status 1 says why
      spec.commandLine()
          .getErr()
          .println(
              "upload-stream: no result for request " + id + " on " + settings.topics().results());
    }
    return filter.allWantedSucceeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private ResultsReader open(ClientSettings settings) {
    boolean searching = fromBeginning || !requestIds.isEmpty();
    return searching ? ResultsReader.fromBeginning(settings) : ResultsReader.fromEnd(settings);
  }

  private void print(ResultsReader results, ResultPrinter printer, ResultFilter filter) {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (!done(results, filter, deadline)) {
      for (ResultsReader.Received received : results.receive(POLL_TIMEOUT)) {
        if (filter.accept(received.result())) {
          printer.result(received);
        }
      }
    }
  }

  private boolean done(ResultsReader results, ResultFilter filter, long deadline) {
    if (!follow) {
      return results.caughtUp();
    }
    return Thread.currentThread().isInterrupted()
        || filter.allWantedSeen()
        || System.nanoTime() - deadline > 0;
  }
}
