package io.uploadstream.ops;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.uploadstream.config.Settings;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.progress.ProgressSender;
import io.uploadstream.progress.ProgressTracker;
import io.uploadstream.upload.UploadListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The observing side of one processor, built by its composition root: the Prometheus registry with
 * JVM, process and Kafka client metrics, the upload metrics, the outcome log, progress events (when
 * {@code topics.progress} is set), the bucket probe and the HTTP endpoint (unless {@code
 * metrics.port} is -1). Lifecycle: {@link #start}, {@link #monitor} the Kafka clients, {@link
 * #serve}, and {@link #close} before the S3 client closes.
 */
public final class Operations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operations.class);
  static final Duration BUCKET_CHECK_INTERVAL = Duration.ofSeconds(5);
  private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(30);

  /**
   * Tells the consumer's meters from the producer's: both share one client.id, and Kafka's app-info
   * meters have the same name in either.
   */
  private static final String KAFKA_CLIENT = "kafka.client";

  /** Tells the clients of the two lanes apart (their meters otherwise have the same tags). */
  private static final String LANE = "lane";

  private final Settings settings;
  private final PrometheusMeterRegistry registry;
  private final UploadMetrics metrics;
  private final Assignment assignment;
  private final BucketProbe bucket;
  private final ScheduledExecutorService scheduler;
  private final ProgressSender progressSender; // null without a progress topic
  private final Observers observers;

  /** Added to on the starting thread, closed on whichever thread closes (a shutdown hook). */
  private final List<AutoCloseable> binders = new CopyOnWriteArrayList<>();

  private final ExecutorService serverThreads;
  private volatile OpsServer server;
  private volatile List<Thread> loops = List.of();

  private Operations(
      Settings settings,
      S3Client s3,
      PrometheusMeterRegistry registry,
      ProcessorListener processorListener,
      UploadListener uploadListener) {
    this.settings = settings;
    this.registry = registry;
    this.metrics = new UploadMetrics(registry);
    this.assignment = new Assignment(settings.processor().largeFileLane());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("upload-stream-ops"));
    this.serverThreads = Executors.newFixedThreadPool(2, daemon("upload-stream-http"));
    this.bucket = new BucketProbe(s3, settings.storage().bucket());
    this.progressSender =
        settings
            .topics()
            .progress()
            .map(topic -> ProgressSender.start(settings, topic, metrics::progressDropped))
            .orElse(null);
    List<ProcessorListener> processorListeners =
        new ArrayList<>(List.of(metrics, assignment, new OutcomeLog()));
    List<UploadListener> uploadListeners = new ArrayList<>(List.of(metrics));
    if (progressSender != null) {
      ProgressTracker progress =
          new ProgressTracker(
              progressSender, Clock.systemUTC(), ProgressTracker.DEFAULT_MIN_INTERVAL);
      processorListeners.add(progress);
      uploadListeners.add(progress);
    }
    processorListeners.add(processorListener);
    uploadListeners.add(uploadListener);
    this.observers = new Observers(processorListeners, uploadListeners);
  }

  /**
   * Builds the listeners, binds the JVM and process metrics to {@code registry}, starts checking
   * the bucket and serves the HTTP endpoint on {@code metrics.port} (unless it is -1); liveness is
   * false until {@link #watch} names a running loop. {@code processorListener} and {@code
   * uploadListener} (the caller's own) hear every event after the built-in ones.
   *
   * @throws java.io.UncheckedIOException if the port cannot be bound (nothing is left running)
   */
  public static Operations start(
      Settings settings,
      S3Client s3,
      PrometheusMeterRegistry registry,
      ProcessorListener processorListener,
      UploadListener uploadListener) {
    Operations ops = new Operations(settings, s3, registry, processorListener, uploadListener);
    try {
      ops.bindJvmMetrics();
      ops.bucket.start(ops.scheduler, BUCKET_CHECK_INTERVAL);
      ops.serve();
    } catch (RuntimeException e) {
      ops.close();
      throw e;
    }
    return ops;
  }

  /** Liveness follows {@code loopThreads}: live while every one is alive. */
  public void watch(List<Thread> loopThreads) {
    this.loops = List.copyOf(loopThreads);
  }

  /** Every processor-side observer, as one listener. */
  public ProcessorListener processorListener() {
    return observers;
  }

  /** Every upload-side observer, as one listener. */
  public UploadListener uploadListener() {
    return observers;
  }

  /**
   * Publishes the consumer's metrics, consumer lag included ({@code kafka_consumer_*}), tagged with
   * its lane ({@code small} or {@code large}).
   */
  public void monitor(Consumer<?, ?> consumer, String lane) {
    KafkaClientMetrics binder =
        new KafkaClientMetrics(
            consumer,
            Tags.of(KAFKA_CLIENT, "consumer", LANE, lane),
            scheduler,
            KAFKA_METRICS_REFRESH);
    bind(binder, binder);
  }

  /** Publishes the producer's metrics ({@code kafka_producer_*}), tagged with its lane. */
  public void monitor(Producer<?, ?> producer, String lane) {
    KafkaClientMetrics binder =
        new KafkaClientMetrics(
            producer,
            Tags.of(KAFKA_CLIENT, "producer", LANE, lane),
            scheduler,
            KAFKA_METRICS_REFRESH);
    bind(binder, binder);
  }

  private void serve() {
    int port = settings.ops().metricsPort();
    if (port >= 0) {
      server =
          OpsServer.start(
              port, registry, new Health(this::loopRunning, assignment, bucket), serverThreads);
    }
  }

  private boolean loopRunning() {
    List<Thread> current = loops;
    return !current.isEmpty() && current.stream().allMatch(Thread::isAlive);
  }

  /** The port the endpoint listens on; empty when it is off (or not started yet). */
  public OptionalInt port() {
    OpsServer current = server;
    return current == null ? OptionalInt.empty() : OptionalInt.of(current.port());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    OpsServer current = server;
    if (current != null) {
      current.close();
    }
    serverThreads.shutdownNow();
    bucket.close();
    if (progressSender != null) {
      progressSender.close();
    }
    binders.forEach(Operations::closeQuietly);
    scheduler.shutdownNow();
    registry.close();
  }

  private void bindJvmMetrics() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    bind(gc, gc);
  }

  private void bind(MeterBinder binder, AutoCloseable closer) {
    binder.bindTo(registry);
    binders.add(closer);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {} failed: {}", closeable, e.toString());
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
