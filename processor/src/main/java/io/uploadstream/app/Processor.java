package io.uploadstream.app;

import io.uploadstream.config.Consumption;
import io.uploadstream.config.Settings;
import io.uploadstream.ops.Operations;
import io.uploadstream.processor.Pipeline;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running processor instance. {@link #start} builds it in the composition root ({@link
 * Assembly}): it checks that the request topic and the bucket are reachable before it joins the
 * group, so a misconfigured instance fails at once with a clear message instead of idling.
 */
public final class Processor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final Pipeline pipeline;
  private final Operations ops;
  private final Resources resources;
  private final Duration timeToStop;

  Processor(Pipeline pipeline, Operations ops, Resources resources, Duration timeToStop) {
    this.pipeline = pipeline;
    this.ops = ops;
    this.resources = resources;
    this.timeToStop = timeToStop;
  }

  /**
   * Builds and starts a processor; it runs until {@link #stop()} or a fatal error. {@code listener}
   * and {@code uploadListener} hear every event after the built-in observers.
   */
  public static Processor start(
      Settings settings, ProcessorListener listener, UploadListener uploadListener) {
    Resources resources = new Resources();
    try {
      Processor processor = new Assembly(settings, resources).processor(listener, uploadListener);
      processor.pipeline.start();
      log.info(
          "processor {} started: group {}, requests from {}, results to {}, bucket {}, {}"
              + " delivery, {}",
          settings.processor().instanceId(),
          settings.kafka().groupId(),
          settings.topics().requests(),
          settings.topics().results(),
          settings.storage().bucket(),
          settings.processor().delivery().settingValue(),
          lanesDescription(settings));
      return processor;
    } catch (RuntimeException | Error e) {
      resources.closeAfterFailedStart(); // a half-built processor keeps no port, thread or client
      throw e;
    }
  }

  /**
   * Stops fetching; in-flight uploads get the shutdown grace to finish, the rest are handed over
   * (their multipart uploads kept for the next instance to resume).
   */
  public void stop() {
    pipeline.stop();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return pipeline.awaitStopped(timeout);
  }

  /** Why the processor stopped on its own (a fatal Kafka error), if it did. */
  public Optional<Throwable> failure() {
    return pipeline.failure();
  }

  public boolean isRunning() {
    return pipeline.isRunning();
  }

  /** The port of /metrics and /health/*; empty when {@code metrics.port} is -1. */
  public OptionalInt metricsPort() {
    return ops.port();
  }

  private static String lanesDescription(Settings settings) {
    if (settings.processor().consumption() == Consumption.SHARE) {
      return "share group "
          + settings.kafka().groupId()
          + ": every file served from the request topic";
    }
    return settings.processor().lanes().enabled()
        ? "files of "
            + settings.processor().lanes().largeFileThresholdBytes().getAsLong()
            + " bytes and more handed to "
            + settings.topics().largeRequests()
            + " ("
            + settings.processor().lanes().largeUploadsInFlight()
            + " upload slots)"
        : "one lane (processor.large-file-threshold=off)";
  }

  /** Stops, waits up to the stop budget's time to stop, then closes what the loop does not. */
  @Override
  public void close() {
    stop();
    try {
      if (!pipeline.awaitStopped(timeToStop)) {
        log.warn("processor loop did not stop within {}", timeToStop);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      resources.close();
    }
  }
}
