package io.uploadstream.cli;

import io.uploadstream.app.Processor;
import io.uploadstream.config.Settings;
import io.uploadstream.ops.LogFormats;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code upload-stream run}: one processor instance in the consumer group, until SIGTERM/Ctrl-C. On
 * a signal it stops fetching, lets in-flight uploads finish within the grace period, hands the rest
 * over (their multipart uploads kept for the next instance to resume), commits and exits 0.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a processor: consume upload requests, upload files, publish results.",
      "SIGTERM / Ctrl-C: stop fetching, let uploads in flight finish within"
          + " processor.shutdown-grace, commit, exit."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      "0:stopped by a signal after a clean shutdown",
      "1:the processor stopped on a fatal error (e.g. fenced by another instance)",
      "2:bad usage, invalid settings, or a bucket, topic or allowed root that does not exist:"
          + " nothing was started"
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = config.loader().processorSettings();
    LogFormats.apply(settings.ops().logFormat());
    Processor processor = Processor.start(settings, ProcessorListener.NONE, UploadListener.NONE);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopGracefully(processor), "upload-stream-shutdown"));
    while (!processor.awaitStopped(Duration.ofSeconds(1))) {
      // runs until a signal's hook stops it, or a fatal error ends it
    }
    if (processor.failure().isPresent()) {
      System.err.println("upload-stream: processor stopped: " + processor.failure().get());
      return ExitCodes.FAILED;
    }
    return ExitCodes.OK;
  }

  /**
   * Runs in the shutdown hook of SIGTERM/SIGINT. The JVM would report such an exit as 143/130;
   * after a clean stop the work is done, so halt with the status the stop deserves.
   */
  private static void stopGracefully(Processor processor) {
    log.info("signal received: stopping");
    processor.close();
    int status = processor.failure().isPresent() ? ExitCodes.FAILED : ExitCodes.OK;
    log.info("stopped, exit status {}", status);
    Runtime.getRuntime().halt(status);
  }
}
