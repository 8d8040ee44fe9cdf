package io.uploadstream.dev;

import io.uploadstream.app.Processor;
import io.uploadstream.config.Settings;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The whole pipeline on one machine with nothing installed: a real Kafka broker (KRaft), a real S3
 * API server (S3Proxy on disk), the topics and the bucket, and a processor. Everything lives under
 * one data directory, so a restart loses nothing.
 */
public final class DevStack implements AutoCloseable {
  public static final String BUCKET = "uploads";
  public static final String PROGRESS_TOPIC = "upload-progress";

  private static final Logger log = LoggerFactory.getLogger(DevStack.class);

  /**
   * What to start; ports that are taken are replaced by free ones (0: any free port). {@code
   * cdnPort} serves the URLs in results, {@code metricsPort} the processor's /metrics and /health.
   * The processor's settings are the stack's, overridden as {@code run} overrides a file: by the
   * {@code UPLOAD_STREAM_*} variables of {@code environment}, then by {@code extraSettings} ({@code
   * --set}).
   */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int s3Port,
      int cdnPort,
      int metricsPort,
      List<Path> allowedRoots,
      int partitions,
      Map<String, String> extraSettings,
      Map<String, String> environment) {
    public Options {
      allowedRoots = List.copyOf(allowedRoots);
      extraSettings = Map.copyOf(extraSettings);
      environment = Map.copyOf(environment);
    }

    /** Options whose processor ignores the environment. */
    public Options(
        Path dataDir,
        int kafkaPort,
        int s3Port,
        int cdnPort,
        int metricsPort,
        List<Path> allowedRoots,
        int partitions,
        Map<String, String> extraSettings) {
      this(
          dataDir,
          kafkaPort,
          s3Port,
          cdnPort,
          metricsPort,
          allowedRoots,
          partitions,
          extraSettings,
          Map.of());
    }
  }

  private final EmbeddedKafka kafka;
  private final EmbeddedS3 s3;
  private final DevCdn cdn;
  private final Map<String, String> properties;
  private final Settings settings;
  private final Processor processor;

  private DevStack(
      EmbeddedKafka kafka,
      EmbeddedS3 s3,
      DevCdn cdn,
      Map<String, String> properties,
      Settings settings,
      Processor processor) {
    this.kafka = kafka;
    this.s3 = s3;
    this.cdn = cdn;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    this.settings = settings;
    this.processor = processor;
  }

  /** The S3 server and the CDN stand-in in front of it, with the bucket made. */
  private record Storage(EmbeddedS3 s3, DevCdn cdn) {}

  public static DevStack start(Options options) {
    Path dataDir = options.dataDir().toAbsolutePath();
    Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
    // The storage side starts while the broker does: on 2 cores that makes a start seconds shorter.
    CompletableFuture<Storage> storage =
        CompletableFuture.supplyAsync(
            () -> startStorage(dataDir, options, started),
            task -> new Thread(task, "dev-storage-start").start());
    try {
      EmbeddedKafka kafka =
          EmbeddedKafka.create(
              dataDir.resolve("kafka"),
              portOrFree(options.kafkaPort()),
              DevSettings.BROKER_SESSION);
      started.addLast(kafka); // closed last
      kafka.start(Duration.ofSeconds(90));
      Storage ready = joinStorage(storage);
      Map<String, String> properties =
          DevSettings.processor(options, kafka, ready.s3(), ready.cdn());
      Settings settings =
          SettingsLoader.fromProperties(properties, options.environment())
              .withOverrides(options.extraSettings())
              .processorSettings();
      createTopics(kafka, settings, options.partitions());
      Processor processor = Processor.start(settings, ProcessorListener.NONE, UploadListener.NONE);
      return new DevStack(kafka, ready.s3(), ready.cdn(), properties, settings, processor);
    } catch (RuntimeException e) {
      storage.handle((done, failure) -> null).join(); // nothing may still be starting
      closeAll(started);
      throw e;
    }
  }

  private static Storage startStorage(Path dataDir, Options options, Deque<AutoCloseable> started) {
    EmbeddedS3 s3 = EmbeddedS3.onDisk(dataDir.resolve("s3"), portOrFree(options.s3Port()));
    s3.start();
    started.addFirst(s3);
    DevCdn cdn = DevCdn.start(s3, portOrFree(options.cdnPort()));
    started.addFirst(cdn);
    createBucket(s3);
    return new Storage(s3, cdn);
  }

  private static Storage joinStorage(CompletableFuture<Storage> storage) {
    try {
      return storage.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.warn("cleaning up after a failed start: {}", e.toString());
      }
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String s3Endpoint() {
    return s3.endpoint().toString();
  }

  /** The base of the URLs in results: the CDN stand-in, which serves the private bucket. */
  public String cdnBaseUrl() {
    return cdn.baseUrl();
  }

  public Settings settings() {
    return settings;
  }

  public Processor processor() {
    return processor;
  }

  public EmbeddedS3 s3() {
    return s3;
  }

  /** The port of the processor's /metrics and /health endpoints. */
  public int metricsPort() {
    return processor.metricsPort().orElseThrow();
  }

  /**
   * Stops the processor (in-flight uploads get {@code processor.shutdown-grace}, then it commits
   * and leaves the group), then the CDN stand-in and the S3 server, then the broker (a clean
   * shutdown, so the next start needs no log recovery and no wait for its old registration).
   */
  @Override
  public void close() {
    long start = System.nanoTime();
    try {
      processor.close();
      log.info("processor stopped");
    } finally {
      closeAll(new ArrayDeque<>(List.of(cdn, s3, kafka)));
      log.info("dev stack stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** The settings another processor needs to join this stack ({@code run --config}). */
  public Map<String, String> processorProperties() {
    return DevSettings.furtherProcessor(properties);
  }

  private static void createTopics(EmbeddedKafka kafka, Settings settings, int partitions) {
    var topics = settings.topics();
    kafka.createTopics(
        List.of(
            new NewTopic(topics.requests(), partitions, (short) 1),
            new NewTopic(topics.results(), partitions, (short) 1),
            new NewTopic(topics.largeRequests(), partitions, (short) 1),
            new NewTopic(topics.deadLetters(), 1, (short) 1),
            new NewTopic(topics.progress().orElse(PROGRESS_TOPIC), partitions, (short) 1)));
  }

  private static void createBucket(EmbeddedS3 s3) {
    try (S3Client client = s3.newClient()) {
      client.createBucket(b -> b.bucket(BUCKET));
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw e; // 409: it exists already, a restart over the same data directory
      }
    }
  }

  /** The requested port if it is free, else any free port (0 means any). */
  static int portOrFree(int port) {
    if (port == 0) {
      return EmbeddedKafka.freePort();
    }
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
      return port;
    } catch (IOException e) {
      return EmbeddedKafka.freePort();
    }
  }
}
