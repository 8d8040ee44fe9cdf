package io.uploadstream.processor;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.config.Consumption;
import io.uploadstream.config.Settings;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.ops.Operations;
import io.uploadstream.upload.JanitorSettings;
import io.uploadstream.upload.MultipartJanitor;
import io.uploadstream.upload.MultipartUploader;
import io.uploadstream.upload.PathNotAllowedException;
import io.uploadstream.upload.UploadListener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One running processor instance, and the composition root that wires it: Kafka clients, the S3
 * client, the uploader and the loop. {@link #start} checks that the request topic and the bucket
 * are reachable before it joins the group, so a misconfigured instance fails at once with a clear
 * message instead of idling.
 */
public final class Processor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Processor.class);
  private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration JANITOR_FIRST_RUN = Duration.ofMinutes(1);

  private final RequestLoops loops;
  private final ExecutorService partThreads;
  private final S3Client s3;
  private final Duration timeToStop;
  private final Operations ops;
  private final ScheduledExecutorService janitor;
  private final SourceDeleter deleter;

  private Processor(
      RequestLoops loops,
      ExecutorService partThreads,
      S3Client s3,
      Duration timeToStop,
      Operations ops,
      ScheduledExecutorService janitor,
      SourceDeleter deleter) {
    this.deleter = deleter;
    this.loops = loops;
    this.partThreads = partThreads;
    this.s3 = s3;
    this.timeToStop = timeToStop;
    this.ops = ops;
    this.janitor = janitor;
  }

  /** Builds and starts a processor; it runs until {@link #stop()} or a fatal error. */
  public static Processor start(
      Settings settings, ProcessorListener listener, UploadListener uploadListener) {
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      Processor processor = assemble(settings, listener, uploadListener, opened);
      processor.loops.start();
      log.info(
          "processor {} started: {} group {}, requests from {}, results to {}, bucket {}, {}"
              + " delivery, {}",
          settings.processor().instanceId(),
          settings.processor().consumption().settingValue(),
          settings.kafka().groupId(),
          settings.topics().requests(),
          settings.topics().results(),
          settings.storage().bucket(),
          settings.processor().delivery().settingValue(),
          lanesDescription(settings));
      return processor;
    } catch (RuntimeException | Error e) {
      closeAll(opened); // a half-built processor must not keep ports, threads or clients
      throw e;
    }
  }

  /** Builds every part; each resource is pushed on {@code opened} as soon as it exists. */
  private static Processor assemble(
      Settings settings,
      ProcessorListener listener,
      UploadListener uploadListener,
      Deque<AutoCloseable> opened) {
    S3Client s3 = S3Connection.client(settings);
    opened.push(s3);
    int deadLetterTopicMaxBytes = StartupChecks.run(settings, s3, STARTUP_CHECK_TIMEOUT);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Operations ops = Operations.start(settings, s3, registry, listener, uploadListener);
    opened.push(ops);
    int uploads =
        settings.processor().uploadsInFlight()
            + (settings.processor().largeFileLane()
                ? settings.processor().lanes().largeUploadsInFlight()
                : 0);
    ExecutorService partThreads = Executors.newCachedThreadPool(Lanes.daemons("upload-part"));
    opened.push(partThreads::shutdownNow);
    PathGuard guard =
        new PathGuard(settings.processor().allowedRoots(), settings.processor().maxFileSizeBytes());
    // Passes every event on; tells a share-group member whether its upload still progresses.
    UploadActivity activity = new UploadActivity(Clock.systemUTC(), ops.uploadListener());
    MultipartUploader uploader =
        new MultipartUploader(
            s3,
            settings.uploader(),
            partThreads,
            activity,
            Clock.systemUTC(),
            Processor::uncheckedOpen, // every upload brings its PathGuard's opener instead
            uploads * settings.uploader().partsInFlight());
    ResultRecords records =
        new ResultRecords(
            settings.topics().results(),
            settings.topics().deadLetters(),
            settings.topics().largeRequests(),
            "urn:upload-stream:" + settings.kafka().groupId(),
            Math.min(deadLetterTopicMaxBytes, KafkaClients.maxRequestSize(settings)));
    SourceDeleter deleter = new SourceDeleter(ops.processorListener());
    opened.push(deleter);
    RequestLoops loops =
        settings.processor().consumption() == Consumption.SHARE
            ? ShareSetup.build(
                settings,
                // A share group has no head-of-line blocking to avoid: no lanes, no hand-off.
                uploadJob(settings, guard, uploader, ops, deleter, Lane.LARGE),
                records,
                activity,
                ops,
                STARTUP_CHECK_TIMEOUT,
                Lanes.daemons("upload-worker"),
                Lanes.daemons("share-group-watch"),
                opened)
            : Lanes.build(
                settings,
                records,
                lane -> uploadJob(settings, guard, uploader, ops, deleter, lane),
                ops,
                opened);
    ScheduledExecutorService janitor = startJanitor(settings, s3, uploader);
    opened.push(janitor::shutdownNow);
    Processor processor =
        new Processor(
            loops,
            partThreads,
            s3,
            settings.processor().stop().timeToStop(),
            ops,
            janitor,
            deleter);
    ops.watch(loops.threads());
    return processor;
  }

  private static void closeAll(Deque<AutoCloseable> opened) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        log.warn("cleaning up after a failed start: {}", e.toString());
      }
    }
  }

  /**
   * Stops fetching; in-flight uploads get the shutdown grace to finish, the rest are handed over
   * (their multipart uploads kept for the next instance to resume).
   */
  public void stop() {
    loops.stop();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return loops.awaitStopped(timeout);
  }

  /** Why the processor stopped on its own (a fatal Kafka error), if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(loops.failure());
  }

  public boolean isRunning() {
    return loops.isRunning();
  }

  /** The port of /metrics and /health/*; empty when {@code metrics.port} is -1. */
  public OptionalInt metricsPort() {
    return ops.port();
  }

  @Override
  public void close() {
    stop();
    try {
      if (!loops.awaitStopped(timeToStop)) {
        log.warn("processor loop did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleter.close(); // after the loop: its last commit may have handed deletes over
      janitor.shutdownNow();
      partThreads.shutdownNow();
      ops.close();
      s3.close();
    }
  }

  /** The uploader's own opener, never used by the processor: uploads open through the guard. */
  private static FileChannel uncheckedOpen(Path file) throws IOException {
    throw new PathNotAllowedException(file.toString(), "not checked by the path guard");
  }

  /** The small lane's job hands files at or above the threshold to the large-file lane. */
  private static UploadJob uploadJob(
      Settings settings,
      PathGuard guard,
      MultipartUploader uploader,
      Operations ops,
      SourceDeleter deleter,
      Lane lane) {
    return new UploadJob(
        guard,
        uploader::upload,
        new StorageOutageWait(
            settings.processor().storageOutageWait(), Clock.systemUTC(), uploader::holdKey),
        settings.storage().bucket(),
        cdnUrls(settings),
        Clock.systemUTC(),
        ops.processorListener(),
        new RequestRules(settings.objects(), settings.processor().allowDelete()),
        uploader::findStored,
        deleter,
        lane == Lane.SMALL
            ? settings.processor().lanes().largeFileThresholdBytes()
            : OptionalLong.empty());
  }

  private static String lanesDescription(Settings settings) {
    if (settings.processor().consumption() == Consumption.SHARE) {
      return settings.processor().uploadsInFlight() + " share-group members, no lanes";
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

  /** Aborts abandoned multipart uploads (not this instance's in flight) on a schedule. */
  private static ScheduledExecutorService startJanitor(
      Settings settings, S3Client s3, MultipartUploader uploader) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Lanes.daemons("multipart-janitor"));
    JanitorSettings janitor = settings.janitor();
    if (janitor.enabled()) {
      MultipartJanitor task =
          new MultipartJanitor(
              s3,
              settings.storage().bucket(),
              janitor,
              settings.uploader().retry(),
              uploader::keysInFlight,
              Clock.systemUTC());
      scheduler.scheduleWithFixedDelay(
          task,
          Math.min(JANITOR_FIRST_RUN.toMillis(), janitor.interval().toMillis()),
          janitor.interval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return scheduler;
  }

  private static CdnUrls cdnUrls(Settings settings) {
    String base =
        settings
            .cdn()
            .baseUrl()
            .orElseGet(
                () ->
                    settings
                        .storage()
                        .endpoint()
                        .map(Object::toString)
                        .orElse("https://s3." + settings.storage().region() + ".amazonaws.com"));
    return new CdnUrls(base, !settings.cdn().bucketInPath());
  }
}
