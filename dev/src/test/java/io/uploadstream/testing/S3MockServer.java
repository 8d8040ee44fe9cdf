package io.uploadstream.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Adobe S3Mock, a second S3 implementation independent of S3Proxy, as a child JVM on a free
 * 127.0.0.1 port. It is a Spring Boot application whose Spring, Jackson 3 and Kotlin would clash
 * with our classpath, so it runs from its own executable jar, which the build copies from Maven
 * Central to {@code target/s3mock/s3mock.jar} (system property {@code uploadstream.s3mock.jar}).
 * S3Mock checks no signatures: any access key works.
 */
public final class S3MockServer implements AutoCloseable {
  /** The one KMS key id S3Mock accepts; any other is answered with KMS.NotFoundException. */
  public static final String KMS_KEY_ID =
      "arn:aws:kms:us-east-1:123456789012:key/upload-stream-test-key";

  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
  private static final Pattern STARTED_ON_PORT = Pattern.compile("Tomcat started on ports? (\\d+)");
  private static S3MockServer shared;

  private final Process process;
  private final Path log;
  private final URI endpoint;

  private S3MockServer(Process process, Path log, URI endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /**
   * One server for all tests of this JVM, started on first use; at JVM exit it is stopped and its
   * data directory deleted (S3Mock leaves its files behind).
   */
  public static synchronized S3MockServer shared() {
    if (shared == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("s3mock-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      S3MockServer server = start(dir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    deleteRecursively(dir);
                  },
                  "s3mock-stop"));
      shared = server;
    }
    return shared;
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }

  /** A server keeping its objects under {@code dataDir}, which survive a restart. */
  public static S3MockServer start(Path dataDir) {
    Path log = dataDir.resolve("s3mock.log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // C1 only and a small heap: starts in half the time, and the machine is shared.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx384m",
            "-jar",
            jar().toString(),
            "--server.ssl.enabled=false",
            "--server.address=127.0.0.1",
            "--server.port=0",
            // S3Mock always opens a second plain-HTTP connector, on all interfaces (it has no
            // address setting); an ephemeral port keeps it out of the way. We use the first one.
            "--http.port=0",
            "--spring.main.banner-mode=off",
            "--com.adobe.testing.s3mock.store.root=" + dataDir.resolve("store"),
            "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
            "--com.adobe.testing.s3mock.store.valid-kms-keys=" + KMS_KEY_ID);
    Process process;
    try {
      Files.createDirectories(dataDir);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Mock: " + command, e);
    }
    try {
      S3MockServer server = new S3MockServer(process, log, awaitPort(process, log));
      server.awaitReady();
      return server;
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The jar the build copied; a clear message when the build step did not run. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("uploadstream.s3mock.jar", "target/s3mock/s3mock.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no " + jar + ": run the integration tests with mvn verify");
    }
    return jar;
  }

  /** The port of the loopback connector, from Spring Boot's "Tomcat started on ports" line. */
  private static URI awaitPort(Process process, Path log) {
    return await("S3Mock's port in " + log)
        .atMost(STARTUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String output = output(log);
              if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited at start:\n" + output);
              }
              Matcher port = STARTED_ON_PORT.matcher(output);
              return port.find() ? URI.create("http://127.0.0.1:" + port.group(1)) : null;
            },
            uri -> uri != null);
  }

  /** Ready when ListBuckets answers 200 (its controllers are created lazily, on first use). */
  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest listBuckets =
        HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30)).GET().build();
    await("S3Mock answering at " + endpoint)
        .atMost(STARTUP_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreException(IOException.class)
        .until(
            () -> http.send(listBuckets, HttpResponse.BodyHandlers.discarding()).statusCode(),
            s -> s == 200);
  }

  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return "s3mock";
  }

  public String secretKey() {
    return "s3mock-secret";
  }

  public String output() {
    return output(log);
  }

  private static String output(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** SIGTERM, so Spring shuts down cleanly; SIGKILL when it takes longer than 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
