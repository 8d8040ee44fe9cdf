package io.uploadstream.dev;

import io.uploadstream.config.Settings;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.processor.Processor;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The whole pipeline on one machine with nothing installed: a real Kafka broker (KRaft), a real S3
 * API server (S3Proxy on disk), the topics and the bucket, and a processor. Everything lives under
 * one data directory, so a restart loses nothing.
 */
public final class DevStack implements AutoCloseable {
  public static final String BUCKET = "uploads";

  /** What to start; ports that are taken are replaced by free ones. */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int s3Port,
      List<Path> allowedRoots,
      int partitions,
      Map<String, String> extraSettings) {
    public Options {
      allowedRoots = List.copyOf(allowedRoots);
      extraSettings = Map.copyOf(extraSettings);
    }
  }

  private final EmbeddedKafka kafka;
  private final EmbeddedS3 s3;
  private final Settings settings;
  private final Processor processor;

  private DevStack(EmbeddedKafka kafka, EmbeddedS3 s3, Settings settings, Processor processor) {
    this.kafka = kafka;
    this.s3 = s3;
    this.settings = settings;
    this.processor = processor;
  }

  public static DevStack start(Options options) {
    Path dataDir = options.dataDir().toAbsolutePath();
    EmbeddedKafka kafka =
        EmbeddedKafka.create(dataDir.resolve("kafka"), portOrFree(options.kafkaPort()))
            .start(Duration.ofSeconds(90));
    EmbeddedS3 s3 = null;
    try {
      s3 = EmbeddedS3.onDisk(dataDir.resolve("s3"), portOrFree(options.s3Port())).start();
      Settings settings = settings(options, kafka, s3);
      createTopics(kafka, settings, options.partitions());
      createBucket(s3);
      Processor processor = Processor.start(settings, ProcessorListener.NONE, UploadListener.NONE);
      return new DevStack(kafka, s3, settings, processor);
    } catch (RuntimeException e) {
      if (s3 != null) {
        s3.close();
      }
      kafka.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String s3Endpoint() {
    return s3.endpoint().toString();
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

  @Override
  public void close() {
    try {
      processor.close();
    } finally {
      try {
        s3.close();
      } finally {
        kafka.close();
      }
    }
  }

  private static Settings settings(Options options, EmbeddedKafka kafka, EmbeddedS3 s3) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("s3.endpoint", s3.endpoint().toString());
    props.put("s3.path-style", "true");
    props.put("s3.bucket", BUCKET);
    props.put("s3.access-key", s3.accessKey());
    props.put("s3.secret-key", s3.secretKey());
    props.put("topics.progress", "upload-progress");
    props.put(
        "processor.allowed-roots",
        options.allowedRoots().stream()
            .map(p -> p.toAbsolutePath().toString())
            .collect(Collectors.joining(",")));
    props.put("processor.instance-id", "dev");
    props.put("processor.shutdown-grace", "10s");
    props.put("metrics.port", "0");
    props.putAll(options.extraSettings());
    return SettingsLoader.fromProperties(props).processorSettings();
  }

  private static void createTopics(EmbeddedKafka kafka, Settings settings, int partitions) {
    var topics = settings.topics();
    kafka.createTopics(
        List.of(
            new NewTopic(topics.requests(), partitions, (short) 1),
            new NewTopic(topics.results(), partitions, (short) 1),
            new NewTopic(topics.deadLetters(), 1, (short) 1),
            new NewTopic(topics.progress().orElse("upload-progress"), partitions, (short) 1)));
  }

  private static void createBucket(EmbeddedS3 s3) {
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
            .build()) {
      client.createBucket(b -> b.bucket(BUCKET));
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw e; // 409: it exists already, a restart over the same data directory
      }
    }
  }

  /** The requested port if it is free on 127.0.0.1, else any free port (0 means any). */
  private static int portOrFree(int port) {
    if (port == 0) {
      return EmbeddedKafka.freePort();
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return port;
    } catch (IOException e) {
      return EmbeddedKafka.freePort();
    }
  }
}
