package io.uploadstream.cli;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.DeadLetterReader;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.InterruptException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code upload-stream dead-letters}: the records the processor could not read as requests. */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records the processor refused as requests (the dead-letter topic): where each"
          + " came from (topic-partition@offset), why (reason and message) and the record.",
      "Without --follow: those on the topic when the command starts (none unless"
          + " --from-beginning), then exit. With --follow: run until interrupted (Ctrl-C)."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      "0:listed (or followed until interrupted)",
      "1:" + ExitCodes.UNREACHABLE,
      ExitCodes.USAGE_LINE
    })
final class DeadLettersCommand implements Callable<Integer> {
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  @Spec CommandSpec spec;
  @Mixin ConfigOptions config;

  @Option(names = "--follow", description = "Keep printing new dead letters until interrupted.")
  boolean follow;

  @Option(
      names = "--from-beginning",
      description = "Start with the oldest dead letter on the topic.")
  boolean fromBeginning;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "text (default) or json: one JSON object per line.")
  OutputFormat output = OutputFormat.TEXT;

  @Override
  public Integer call() {
    ClientSettings settings = config.loader().clientSettings();
    KafkaPreflight.check(settings);
    DeadLetterPrinter printer = new DeadLetterPrinter(spec.commandLine().getOut(), output);
    InterruptOnShutdown stop = follow ? InterruptOnShutdown.register(Thread.currentThread()) : null;
    try (DeadLetterReader letters =
        fromBeginning
            ? DeadLetterReader.fromBeginning(settings)
            : DeadLetterReader.fromEnd(settings)) {
      while (follow ? !Thread.currentThread().isInterrupted() : !letters.caughtUp()) {
        letters.poll(POLL_TIMEOUT).forEach(printer::print);
      }
    } catch (InterruptException e) {
      Thread.currentThread().interrupt(); // Ctrl-C: the normal end of --follow
    } finally {
      if (stop != null) {
        stop.finished(); // after the reader is closed: only then may a Ctrl-C'd JVM exit
      }
    }
    return ExitCodes.OK;
  }
}
