package io.uploadstream.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.client.ConfigException;
import io.uploadstream.config.Consumption;
import io.uploadstream.config.Setting;
import io.uploadstream.config.Settings;
import io.uploadstream.ops.Observers;
import io.uploadstream.ops.Operations;
import io.uploadstream.processor.KafkaClients;
import io.uploadstream.processor.Lane;
import io.uploadstream.processor.LaneClients;
import io.uploadstream.processor.Pipeline;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.processor.ResultCommitter;
import io.uploadstream.processor.StartupChecks;
import io.uploadstream.processor.UploadActivity;
import io.uploadstream.progress.ProgressSender;
import io.uploadstream.progress.ProgressTracker;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The composition root: every live client, thread pool and listener of one processor is built here,
 * in the short steps {@link #processor} reads as, and passed inward by constructor. Each resource
 * is registered with {@link Resources} as soon as it exists, so a failed start closes what was
 * opened.
 */
final class Assembly {
  private static final Duration STARTUP_CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration JANITOR_FIRST_RUN = Duration.ofMinutes(1);
  private static final int HTTP_THREADS = 2;

  /** Spare S3 connections for HEAD/list/complete calls beside the part uploads. */
  private static final int SPARE_CONNECTIONS = 8;

  private final Settings settings;
  private final Resources resources;
  private final Clock clock = Clock.systemUTC();

  Assembly(Settings settings, Resources resources) {
    this.settings = settings;
    this.resources = resources;
  }

  /** The whole processor, not started. */
  Processor processor(ProcessorListener listener, UploadListener uploadListener) {
    S3Client s3 = storage();
    int deadLetterMaxBytes = StartupChecks.run(settings, s3, STARTUP_CHECK_TIMEOUT);
    Operations ops = ops(s3);
    Observers observers = observers(ops, listener, uploadListener);
    // Passes every event on; tells a share-group member whether its upload still progresses.
    UploadActivity activity = new UploadActivity(clock, observers);
    MultipartUploader uploader = uploader(s3, activity);
    Pipeline pipeline =
        settings.processor().consumption() == Consumption.SHARE
            ? sharePipeline(ops, uploader, activity, observers, deadLetterMaxBytes)
            : pipeline(ops, uploader, observers, deadLetterMaxBytes);
    janitor(s3, uploader);
    ops.watch(pipeline.threads());
    return new Processor(pipeline, ops, resources, settings.processor().stop().timeToStop());
  }

  /** Uploads every lane runs at once: the parts in flight are this many times each one's. */
  private int uploadSlots() {
    return Lane.enabled(settings.processor()).stream()
        .mapToInt(lane -> lane.uploadSlots(settings.processor()))
        .sum();
  }

  /** The S3 client, its pool sized for the parts this processor sends at once; closed last. */
  private S3Client storage() {
    int partsInFlight = uploadSlots() * settings.uploader().partsInFlight();
    S3ConnectionSettings connection =
        settings.storage().connection().withMaxConnections(partsInFlight + SPARE_CONNECTIONS);
    try {
      return resources.owned(S3Clients.create(connection));
    } catch (IllegalArgumentException e) { // the only thing read when building: the trust store
      throw new ConfigException(Setting.S3_TRUST_STORE.key(), e.getMessage());
    }
  }

  /** Metrics, health and the bucket probe, on threads of their own. */
  private Operations ops(S3Client s3) {
    ScheduledExecutorService scheduler =
        executor(Executors.newSingleThreadScheduledExecutor(daemon("upload-stream-ops")));
    ExecutorService httpThreads =
        executor(Executors.newFixedThreadPool(HTTP_THREADS, daemon("upload-stream-http")));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return resources.owned(
        Operations.start(
            settings.ops().metricsPort(),
            settings.storage().bucket(),
            s3,
            registry,
            scheduler,
            httpThreads,
            settings.processor().largeFileLane()));
  }

  /**
   * Every observer, as one listener of each kind: the built-in ones, progress events (with {@code
   * topics.progress} set), then the caller's.
   */
  private Observers observers(
      Operations ops, ProcessorListener listener, UploadListener uploadListener) {
    List<ProcessorListener> processorListeners = new ArrayList<>(ops.processorListeners());
    List<UploadListener> uploadListeners = new ArrayList<>(ops.uploadListeners());
    progress(ops)
        .ifPresent(
            tracker -> {
              processorListeners.add(tracker);
              uploadListeners.add(tracker);
            });
    processorListeners.add(listener);
    uploadListeners.add(uploadListener);
    return new Observers(processorListeners, uploadListeners);
  }

  /** Progress events through their own producer, outside the result transaction. */
  private Optional<ProgressTracker> progress(Operations ops) {
    return settings
        .topics()
        .progress()
        .map(
            topic -> {
              Producer<byte[], byte[]> producer = ProgressSender.producer(settings);
              ProgressSender sender =
                  resources.owned(new ProgressSender(producer, topic, ops::progressDropped));
              return new ProgressTracker(
                  sender.start(), clock, ProgressTracker.DEFAULT_MIN_INTERVAL);
            });
  }

  /** The multipart uploader, its parts on a pool of their own. */
  private MultipartUploader uploader(S3Client s3, UploadListener listener) {
    ExecutorService partThreads =
        executor(Executors.newCachedThreadPool(daemon("upload-part", new AtomicInteger())));
    return new MultipartUploader(
        s3,
        settings.uploader(),
        partThreads,
        listener,
        clock,
        Assembly::uncheckedOpen, // every upload brings its path guard's opener instead
        uploadSlots() * settings.uploader().partsInFlight());
  }

  /** The loop of every lane; each closes its own clients when it ends. */
  private Pipeline pipeline(
      Operations ops,
      MultipartUploader uploader,
      ProcessorListener listener,
      int deadLetterMaxBytes) {
    List<LaneClients> lanes =
        Lane.enabled(settings.processor()).stream().map(lane -> clients(lane, ops)).toList();
    ExecutorService deleteThread =
        executor(Executors.newSingleThreadExecutor(daemon("source-delete")));
    return resources.owned(
        Pipeline.assemble(settings, lanes, uploader, listener, deadLetterMaxBytes, deleteThread));
  }

  /** Share consumption: the share-group members, which build their own Kafka clients. */
  private Pipeline sharePipeline(
      Operations ops,
      MultipartUploader uploader,
      UploadActivity activity,
      ProcessorListener listener,
      int deadLetterMaxBytes) {
    ExecutorService deleteThread =
        executor(Executors.newSingleThreadExecutor(daemon("source-delete")));
    return resources.owned(
        Pipeline.assembleShare(
            settings,
            uploader,
            activity,
            listener,
            deadLetterMaxBytes,
            deleteThread,
            producer -> ops.monitor(producer, Lane.SMALL.tag()),
            resources::untilStarted));
  }

  /** A lane's consumer, committer and workers, each watched by ops and tagged with the lane. */
  private LaneClients clients(Lane lane, Operations ops) {
    Consumer<byte[], byte[]> consumer =
        resources.untilStarted(KafkaClients.consumer(settings, lane));
    ops.monitor(consumer, lane.tag());
    Producer<byte[], byte[]> producer = KafkaClients.producer(settings, lane);
    ops.monitor(producer, lane.tag());
    ResultCommitter committer =
        resources.untilStarted(KafkaClients.committer(settings, consumer, producer));
    String workerName = lane == Lane.SMALL ? "upload-worker" : "upload-large-worker";
    ExecutorService workers =
        Executors.newFixedThreadPool(
            lane.uploadSlots(settings.processor()), daemon(workerName, new AtomicInteger()));
    resources.untilStarted(workers::shutdownNow);
    return new LaneClients(lane, consumer, committer, workers);
  }

  /** Aborts abandoned multipart uploads (not this instance's in flight) on a schedule. */
  private void janitor(S3Client s3, MultipartUploader uploader) {
    JanitorSettings janitor = settings.janitor();
    if (!janitor.enabled()) {
      return;
    }
    ScheduledExecutorService scheduler =
        executor(Executors.newSingleThreadScheduledExecutor(daemon("multipart-janitor")));
    MultipartJanitor task =
        new MultipartJanitor(
            s3,
            settings.storage().bucket(),
            janitor,
            settings.uploader().retry(),
            uploader::keysInFlight,
            clock);
    ScheduledFuture<?> unused = // the task logs its own failures and never throws
        scheduler.scheduleWithFixedDelay(
            task,
            Math.min(JANITOR_FIRST_RUN.toMillis(), janitor.interval().toMillis()),
            janitor.interval().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** {@code executor}, shut down (its threads interrupted) when the processor closes. */
  private <E extends ExecutorService> E executor(E executor) {
    resources.owned(executor::shutdownNow);
    return executor;
  }

  /** The uploader's own opener, never used by the processor: uploads open through the guard. */
  private static FileChannel uncheckedOpen(Path file) throws IOException {
    throw new PathNotAllowedException(file.toString(), "not checked by the path guard");
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static ThreadFactory daemon(String name, AtomicInteger counter) {
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
