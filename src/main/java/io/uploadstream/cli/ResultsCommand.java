package io.uploadstream.cli;

import io.uploadstream.client.ResultsReader;
import io.uploadstream.config.ClientSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code upload-stream results}: prints results as JSON lines, once or until interrupted. */
@Command(
    name = "results",
    mixinStandardHelpOptions = true,
    description = {
      "Print upload results as JSON lines, one per result.",
      "Without --follow: those on the topic when the command starts (none unless"
          + " --from-beginning), then exit. With --follow: run until interrupted (Ctrl-C)."
    })
final class ResultsCommand implements Callable<Integer> {
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = "--follow", description = "Keep printing new results until interrupted.")
  boolean follow;

  @Option(names = "--from-beginning", description = "Start with the oldest result on the topic.")
  boolean fromBeginning;

  @Override
  public Integer call() {
    ClientSettings settings = config.loader().clientSettings();
    ResultPrinter printer =
        new ResultPrinter(spec.commandLine().getOut(), spec.commandLine().getErr());
    if (!follow) {
      try (ResultsReader results = open(settings)) {
        printUntilCaughtUp(results, printer);
      }
      return ExitCodes.OK;
    }
    InterruptOnShutdown stop = InterruptOnShutdown.register(Thread.currentThread());
    try (ResultsReader results = open(settings)) {
      printUntilInterrupted(results, printer);
    } finally {
      stop.finished(); // after the reader is closed: only then may a Ctrl-C'd JVM exit
    }
    return ExitCodes.OK;
  }

  private ResultsReader open(ClientSettings settings) {
    return fromBeginning ? ResultsReader.fromBeginning(settings) : ResultsReader.fromEnd(settings);
  }

  private static void printUntilCaughtUp(ResultsReader results, ResultPrinter printer) {
    while (!results.caughtUp()) {
      results.receive(POLL_TIMEOUT).forEach(printer::json);
    }
  }

  private static void printUntilInterrupted(ResultsReader results, ResultPrinter printer) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        results.receive(POLL_TIMEOUT).forEach(printer::json);
      }
    } catch (InterruptException e) {
      // Ctrl-C (or the caller) interrupted the poll: the normal end of --follow.
      Thread.currentThread().interrupt();
    }
  }
}
