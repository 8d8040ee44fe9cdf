package io.uploadstream.testing;

import io.uploadstream.app.Processor;
import io.uploadstream.config.Settings;
import io.uploadstream.config.SettingsLoader;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.EmbeddedKafka;
import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadListener;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One test's pipeline on real servers: its own topics, group and bucket; processors started with
 * settings the test can adjust; a producer for raw request records; readers for results and dead
 * letters; an S3 client to read objects back. {@link #close} fails the test when a processor's loop
 * stopped on an error or any thread died of an uncaught exception while the fixture was open.
 */
public final class PipelineFixture implements AutoCloseable {
  public final String requests = Names.unique("requests");
  public final String largeRequests = Names.unique("large-requests");
  public final String results = Names.unique("results");
  public final String deadLetters = Names.unique("dlq");
  public final String group = Names.unique("group");
  public final String bucket = Names.unique("bucket");

  private final String bootstrapServers;
  private final URI s3Endpoint;
  private final String accessKey;
  private final String secretKey;
  private final Path filesRoot;
  private final S3Client s3;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Processor> processors = new ArrayList<>();
  private final Map<String, String> overrides = new HashMap<>();
  private final int crashesBefore = ThreadCrashes.mark();

  /** A pipeline on any Kafka cluster and S3 server (embedded, or containers). */
  public PipelineFixture(
      String bootstrapServers,
      URI s3Endpoint,
      String accessKey,
      String secretKey,
      Path filesRoot,
      int partitions) {
    this(
        bootstrapServers,
        s3Endpoint,
        accessKey,
        secretKey,
        filesRoot,
        partitions,
        S3Clients::create);
  }

  /** As above, with the test's own S3 client made by {@code clients} (e.g. trusting a CA). */
  public PipelineFixture(
      String bootstrapServers,
      URI s3Endpoint,
      String accessKey,
      String secretKey,
      Path filesRoot,
      int partitions,
      Function<S3ConnectionSettings, S3Client> clients) {
    this.bootstrapServers = bootstrapServers;
    this.s3Endpoint = s3Endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.filesRoot = filesRoot;
    EmbeddedKafka.createTopics(
        bootstrapServers,
        List.of(
            new NewTopic(requests, partitions, (short) 1),
            new NewTopic(largeRequests, partitions, (short) 1),
            new NewTopic(results, partitions, (short) 1),
            new NewTopic(deadLetters, 1, (short) 1)));
    this.s3 =
        clients.apply(S3ConnectionSettings.endpoint(s3Endpoint, "us-east-1", accessKey, secretKey));
    s3.createBucket(b -> b.bucket(bucket));
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024); // hostile-input tests
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public static PipelineFixture onSharedStack(Path filesRoot, int partitions) {
    SharedStack stack = SharedStack.get();
    EmbeddedS3 s3 = stack.s3();
    return new PipelineFixture(
        stack.kafka().bootstrapServers(),
        s3.endpoint(),
        s3.accessKey(),
        s3.secretKey(),
        filesRoot,
        partitions);
  }

  /** Sets a setting for processors started after this call. */
  public PipelineFixture set(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  public Settings settings(String instanceId) {
    return SettingsLoader.fromProperties(properties(instanceId)).processorSettings();
  }

  /** A properties file for a processor in a child JVM ({@code run --config FILE}). */
  public Path writeConfig(Path file, String instanceId) {
    Properties props = new Properties();
    props.putAll(properties(instanceId));
    try (var out = java.nio.file.Files.newOutputStream(file)) {
      props.store(out, "pipeline " + group);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  public Map<String, String> properties(String instanceId) {
    Map<String, String> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", bootstrapServers);
    props.put("kafka.group.id", group);
    props.put("topics.requests", requests);
    props.put("topics.large-requests", largeRequests);
    props.put("topics.results", results);
    props.put("topics.dead-letters", deadLetters);
    props.put("s3.endpoint", s3Endpoint.toString());
    props.put("s3.path-style", "true");
    props.put("s3.bucket", bucket);
    props.put("s3.access-key", accessKey);
    props.put("s3.secret-key", secretKey);
    props.put("cdn.base-url", "https://cdn.example.com");
    props.put("processor.allowed-roots", filesRoot.toString());
    props.put("processor.instance-id", instanceId);
    props.put("processor.shutdown-grace", "10s");
    props.put("metrics.port", "-1");
    props.putAll(overrides);
    return props;
  }

  public Processor startProcessor(String instanceId) {
    return startProcessor(instanceId, ProcessorListener.NONE);
  }

  public Processor startProcessor(String instanceId, ProcessorListener listener) {
    Processor processor = Processor.start(settings(instanceId), listener, UploadListener.NONE);
    processors.add(processor);
    return processor;
  }

  public void publish(UploadRequest request) {
    publishRaw(request.requestId(), EventCodec.encode(request));
  }

  /**
   * Publishes a request to one partition of the request topic, e.g. to reach one instance; returns
   * where it went and its timestamp.
   */
  public RecordMetadata publish(UploadRequest request, int partition) {
    try {
      return producer
          .send(
              new ProducerRecord<>(
                  requests,
                  partition,
                  request.requestId().getBytes(StandardCharsets.UTF_8),
                  EventCodec.encode(request)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a request", e);
    }
  }

  /**
   * Publishes a request with {@code timestamp} as its record's timestamp, which stands in for a
   * missing {@code requestedAt}.
   */
  public void publish(UploadRequest request, Instant timestamp) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  requests,
                  null,
                  timestamp.toEpochMilli(),
                  request.requestId().getBytes(StandardCharsets.UTF_8),
                  EventCodec.encode(request)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a request", e);
    }
  }

  public void publishRaw(String key, byte[] value) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  requests, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish a request", e);
    }
  }

  /**
   * Publishes many raw records (key, value) without waiting for each; returns once all are acked.
   */
  public void publishAllRaw(List<Map.Entry<String, byte[]>> records) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (Map.Entry<String, byte[]> record : records) {
      byte[] key =
          record.getKey() == null ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
      acks.add(producer.send(new ProducerRecord<>(requests, key, record.getValue())));
    }
    producer.flush();
    for (var ack : acks) {
      try {
        ack.get();
      } catch (Exception e) {
        throw new IllegalStateException("cannot publish a request", e);
      }
    }
  }

  /** Every committed result so far (read_committed, from the beginning). */
  public List<UploadResult> results() {
    return readAll(results).stream().map(r -> EventCodec.decodeResult(r.value())).toList();
  }

  /** Every committed dead letter so far. */
  public List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return readAll(deadLetters);
  }

  public List<ConsumerRecord<byte[], byte[]>> resultRecords() {
    return readAll(results);
  }

  /** Every committed request handed to the large-file lane so far (read_committed). */
  public List<ConsumerRecord<byte[], byte[]>> largeRequestRecords() {
    return readAll(largeRequests);
  }

  public S3Client s3() {
    return s3;
  }

  public static S3Client s3Client(URI endpoint, String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end");
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }

  /**
   * Stops the processors and closes the clients; then fails with an {@link AssertionError} if a
   * processor stopped on its own error or a thread crashed meanwhile.
   */
  @Override
  public void close() {
    processors.forEach(Processor::close);
    producer.close();
    s3.close();
    List<AssertionError> problems = new ArrayList<>(ThreadCrashes.since(crashesBefore));
    for (Processor processor : processors) {
      processor
          .failure()
          .ifPresent(e -> problems.add(new AssertionError("a processor's loop failed: " + e, e)));
    }
    if (!problems.isEmpty()) {
      AssertionError failure = problems.get(0);
      problems.subList(1, problems.size()).forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
