package io.uploadstream.bench;

import io.uploadstream.dev.EmbeddedKafka;
import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The servers every case shares: a Kafka broker (KRaft) and S3Proxy on disk, each in a child JVM so
 * their CPU is separate from the benchmark's and measurable ({@link #kafkaCpuSeconds}, {@link
 * #s3CpuSeconds}).
 */
final class Stack implements AutoCloseable {
  static final String BUCKET = "bench";
  private static final List<String> SERVER_JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

  private final ChildJvm kafka;
  private final ChildJvm s3;
  private final String bootstrapServers;
  private final URI s3Endpoint;
  private final S3Client admin;

  private Stack(ChildJvm kafka, ChildJvm s3, String bootstrapServers, URI s3Endpoint) {
    this.kafka = kafka;
    this.s3 = s3;
    this.bootstrapServers = bootstrapServers;
    this.s3Endpoint = s3Endpoint;
    this.admin = S3Clients.create(connection(false, 8));
  }

  static Stack start(Path jar, Path dir, AppCds cds) throws InterruptedException {
    createDirectories(dir);
    ChildJvm kafka = server("kafka", jar, dir, EmbeddedKafka.class.getName(), "kafka", cds);
    // The transfer manager it is compared with sends x-amz-mp-object-size, which a strict S3Proxy
    // answers 501: only the benchmark's server ignores headers it does not know.
    ChildJvm s3 =
        server(
            "s3",
            jar,
            dir,
            EmbeddedS3.class.getName(),
            "s3",
            cds,
            EmbeddedS3.IGNORE_UNKNOWN_HEADERS);
    try {
      String bootstrap = kafka.awaitLine("READY ", Duration.ofMinutes(2));
      URI endpoint = URI.create(s3.awaitLine("READY ", Duration.ofSeconds(60)));
      Stack stack = new Stack(kafka, s3, bootstrap, endpoint);
      stack.admin.createBucket(b -> b.bucket(BUCKET));
      return stack;
    } catch (RuntimeException | InterruptedException e) {
      s3.close();
      kafka.close();
      throw e;
    }
  }

  private static ChildJvm server(
      String name, Path jar, Path dir, String mainClass, String sub, AppCds cds, String... extra) {
    List<String> cdsFlags = cds.flags(name);
    List<String> flags = new ArrayList<>(SERVER_JVM_FLAGS);
    flags.addAll(cdsFlags);
    List<String> main =
        new ArrayList<>(
            List.of(
                "-cp",
                jar.toString(),
                mainClass,
                dir.resolve(sub).toString(),
                Integer.toString(freePort())));
    main.addAll(List.of(extra));
    ChildJvm jvm = ChildJvm.start(name, dir.resolve(name + ".log"), flags, main);
    cds.started(name, cdsFlags, jvm);
    return jvm;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  URI s3Endpoint() {
    return s3Endpoint;
  }

  /** How the benchmark's own clients reach the S3 server. */
  S3ConnectionSettings connection(boolean unsignedPayload, int maxConnections) {
    return S3ConnectionSettings.endpoint(
            s3Endpoint, "us-east-1", EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY)
        .withUnsignedPayload(unsignedPayload)
        .withMaxConnections(maxConnections);
  }

  /**
   * Creates the topics (name to partition count) in one request and returns once every partition
   * has a leader; topics that exist already are kept.
   */
  void createTopics(Map<String, Integer> topics) {
    List<NewTopic> newTopics = new ArrayList<>();
    topics.forEach((name, partitions) -> newTopics.add(new NewTopic(name, partitions, (short) 1)));
    try (Admin kafkaAdmin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (var created : kafkaAdmin.createTopics(newTopics).values().entrySet()) {
        try {
          created.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + created.getKey(), e);
          }
        }
      }
      awaitLeaders(kafkaAdmin, List.copyOf(topics.keySet()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics " + topics.keySet(), e);
    }
  }

  private static void awaitLeaders(Admin kafkaAdmin, List<String> names)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean ready =
            kafkaAdmin
                .describeTopics(names)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .values()
                .stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null);
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        // not visible yet: metadata reaches the broker shortly after the controller accepts it
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topics " + names + " not served after 30 s");
      }
      Thread.sleep(20);
    }
  }

  /** Deletes every object under {@code prefix}, so the server's disk does not fill up. */
  void deleteObjects(String prefix) {
    ListObjectsV2Response page;
    String token = null;
    do {
      String continuation = token;
      page =
          admin.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix).continuationToken(continuation));
      List<ObjectIdentifier> ids =
          page.contents().stream()
              .map(S3Object::key)
              .map(key -> ObjectIdentifier.builder().key(key).build())
              .toList();
      for (int from = 0; from < ids.size(); from += 1000) {
        List<ObjectIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
        admin.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(batch).quiet(true)));
      }
      token = page.nextContinuationToken();
    } while (token != null);
  }

  long objectSize(String key) {
    return admin.headObject(b -> b.bucket(BUCKET).key(key)).contentLength();
  }

  /** CPU seconds the broker and the S3 server have used so far. */
  double kafkaCpuSeconds() {
    return kafka.cpuSeconds();
  }

  double s3CpuSeconds() {
    return s3.cpuSeconds();
  }

  @Override
  public void close() {
    admin.close();
    // The run is over and its work directory gets deleted: nothing to shut down cleanly for.
    ChildJvm.killAll(List.of(s3, kafka));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
