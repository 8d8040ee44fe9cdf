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
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The observing side of one processor: the Prometheus registry with JVM, process and Kafka client
 * metrics, the upload metrics, the outcome log, the bucket probe and the HTTP endpoint (unless
 * {@code metrics.port} is -1). The composition root builds it with the registry and the threads it
 * runs on, hands its {@link #processorListeners()} and {@link #uploadListeners()} to the loop and
 * the uploader, {@link #monitor}s the Kafka clients, and {@link #close}s it before the S3 client.
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

  private final PrometheusMeterRegistry registry;
  private final UploadMetrics metrics;
  private final Assignment assignment;
  private final OutcomeLog outcomes = new OutcomeLog();
  private final BucketProbe bucket;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService serverThreads;

  /** Added to on the starting thread, closed on whichever thread closes (a shutdown hook). */
  private final List<AutoCloseable> binders = new CopyOnWriteArrayList<>();

  private volatile OpsServer server;
  private volatile List<Thread> loops = List.of();

  private Operations(
      PrometheusMeterRegistry registry,
      Assignment assignment,
      BucketProbe bucket,
      ScheduledExecutorService scheduler,
      ExecutorService serverThreads) {
    this.registry = registry;
    this.metrics = new UploadMetrics(registry);
    this.assignment = assignment;
    this.bucket = bucket;
    this.scheduler = scheduler;
    this.serverThreads = serverThreads;
  }

  /**
   * Binds the JVM and process metrics to {@code registry}, starts checking {@code bucket} on {@code
   * scheduler} (which also refreshes the Kafka client metrics) and serves the HTTP endpoint on
   * {@code metricsPort} with {@code serverThreads} (unless the port is -1); liveness is false until
   * {@link #watch} names the running loops. The threads are the caller's to shut down.
   *
   * @param lanes whether size lanes are on: readiness then waits for the large lane's group too
   * @throws java.io.UncheckedIOException if the port cannot be bound (nothing is left running)
   */
  public static Operations start(
      int metricsPort,
      String bucket,
      S3Client s3,
      PrometheusMeterRegistry registry,
      ScheduledExecutorService scheduler,
      ExecutorService serverThreads,
      boolean lanes) {
    Operations ops =
        new Operations(
            registry, new Assignment(lanes), new BucketProbe(s3, bucket), scheduler, serverThreads);
    try {
      ops.bindJvmMetrics();
      ops.bucket.start(scheduler, BUCKET_CHECK_INTERVAL);
      ops.serve(metricsPort);
    } catch (RuntimeException e) {
      ops.close();
      throw e;
    }
    return ops;
  }

  /**
   * Checks the bucket now (readiness follows the answer too); why it is unusable, or empty when it
   * answered. Uploads ask this to tell a store outage from one object the store keeps failing.
   */
  public Optional<String> checkBucketNow() {
    bucket.check();
    return bucket.problem();
  }

  /** Liveness follows {@code loopThreads}: live while every one is alive. */
  public void watch(List<Thread> loopThreads) {
    this.loops = List.copyOf(loopThreads);
  }

  /** The built-in processor-side observers: metrics, assignment (readiness), outcome log. */
  public List<ProcessorListener> processorListeners() {
    return List.of(metrics, assignment, outcomes);
  }

  /** The built-in upload-side observers: the upload metrics. */
  public List<UploadListener> uploadListeners() {
    return List.of(metrics);
  }

  /** Counts a progress event that was dropped. */
  public void progressDropped() {
    metrics.progressDropped();
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

  private void serve(int port) {
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
    bucket.close();
    binders.forEach(Operations::closeQuietly);
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
}
