package io.uploadstream.bench;

import io.uploadstream.dev.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A processor as it runs in production: {@code java [flags] -jar upload-stream.jar run --config
 * FILE} in a JVM of its own, watched through its {@code /health/ready} and {@code /metrics}.
 */
final class ProcessorJvm implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern ASSIGNED = Pattern.compile("(\\d+) partitions? assigned");

  private final ChildJvm jvm;
  private final int metricsPort;

  private ProcessorJvm(ChildJvm jvm, int metricsPort) {
    this.jvm = jvm;
    this.metricsPort = metricsPort;
  }

  /** What one processor is told: where Kafka and S3 are, its group and topics, extra settings. */
  record Config(
      String bootstrapServers,
      URI s3Endpoint,
      String group,
      String requests,
      String results,
      Path allowedRoot,
      Map<String, String> extra) {

    /** The group's large-request topic (size lanes), created with its request topic. */
    String largeRequests() {
      return requests + "-large";
    }

    Map<String, String> properties(String instanceId, int metricsPort) {
      Map<String, String> props = new LinkedHashMap<>();
      props.put("kafka.bootstrap.servers", bootstrapServers);
      props.put("kafka.group.id", group);
      props.put("topics.requests", requests);
      props.put("topics.large-requests", largeRequests());
      props.put("topics.results", results);
      props.put("topics.dead-letters", "bench-dlq");
      props.put("s3.endpoint", s3Endpoint.toString());
      props.put("s3.path-style", "true");
      props.put("s3.bucket", Stack.BUCKET);
      props.put("s3.access-key", EmbeddedS3.DEFAULT_ACCESS_KEY);
      props.put("s3.secret-key", EmbeddedS3.DEFAULT_SECRET_KEY);
      props.put("s3.unsigned-payload", "true");
      props.put("processor.allowed-roots", allowedRoot.toAbsolutePath().toString());
      props.put("processor.instance-id", instanceId);
      props.put("processor.shutdown-grace", "10s");
      props.put("metrics.port", Integer.toString(metricsPort));
      props.putAll(extra);
      return props;
    }
  }

  static ProcessorJvm start(
      Path jar, Path dir, String instanceId, Config config, List<String> jvmFlags, AppCds cds) {
    int port = Stack.freePort();
    Path configFile = dir.resolve(instanceId + ".properties");
    Properties props = new Properties();
    props.putAll(config.properties(instanceId, port));
    try (var out = Files.newOutputStream(configFile)) {
      props.store(out, "benchmark processor " + instanceId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> main =
        List.of("-jar", jar.toString(), "run", "--config", configFile.toAbsolutePath().toString());
    List<String> cdsFlags = cds.flags("processor");
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.addAll(cdsFlags);
    ChildJvm jvm =
        ChildJvm.start("processor " + instanceId, dir.resolve(instanceId + ".log"), flags, main);
    cds.started("processor", cdsFlags, jvm);
    return new ProcessorJvm(jvm, port);
  }

  ChildJvm jvm() {
    return jvm;
  }

  /**
   * Partitions assigned once {@code /health/ready} answers 200, else -1 (not ready yet). A standby
   * (ready without partitions) answers 0.
   */
  int assignedPartitions() {
    try {
      HttpResponse<String> response = get("/health/ready");
      if (response.statusCode() != 200) {
        return -1;
      }
      Matcher matcher = ASSIGNED.matcher(response.body());
      return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Sum of the samples of {@code metric} whose labels contain {@code labelPart}; NaN if none. */
  double metric(String metric, String labelPart) {
    try {
      double sum = 0;
      boolean found = false;
      // Only this metric (the name[] filter): a full scrape costs the processor more CPU.
      String path = "/metrics?name%5B%5D=" + URLEncoder.encode(metric, StandardCharsets.UTF_8);
      for (String line : get(path).body().lines().toList()) {
        boolean named = line.startsWith(metric + "{") || line.startsWith(metric + " ");
        if (named && line.contains(labelPart)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? sum : Double.NaN;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Partitions each instance holds ({@link #assignedPartitions}); throws if one has exited.
   *
   * @throws IllegalStateException if an instance exited
   */
  static List<Integer> assignments(List<ProcessorJvm> group) {
    List<Integer> assigned = new ArrayList<>();
    for (ProcessorJvm processor : group) {
      if (!processor.jvm.isAlive()) {
        throw new IllegalStateException(processor.jvm.name() + " exited; see its log");
      }
      assigned.add(processor.assignedPartitions());
    }
    return assigned;
  }

  /**
   * Every instance ready and, together, holding all {@code partitions}: each a share of them (none
   * idle while there are enough partitions; standbys beyond), or in a share group ({@code shared})
   * each all of them.
   */
  static boolean settled(List<Integer> assigned, int partitions, boolean shared) {
    if (assigned.contains(-1)) {
      return false;
    }
    if (shared) {
      return assigned.stream().allMatch(held -> held == partitions);
    }
    int total = assigned.stream().mapToInt(Integer::intValue).sum();
    boolean standbys = assigned.size() > partitions;
    return total == partitions && (standbys || !assigned.contains(0));
  }

  @Override
  public void close() {
    jvm.close();
  }
}
