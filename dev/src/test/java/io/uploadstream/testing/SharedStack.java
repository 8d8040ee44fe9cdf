package io.uploadstream.testing;

import io.uploadstream.dev.EmbeddedKafka;
import io.uploadstream.dev.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One real Kafka broker and one real S3 server for all integration tests of a test JVM, started on
 * first use and stopped at JVM exit. Tests isolate themselves with unique topic, group and bucket
 * names ({@link Names}); tests that kill or restart servers start their own.
 */
public final class SharedStack {
  private static SharedStack instance;

  private final EmbeddedKafka kafka;
  private final EmbeddedS3 s3;
  private final Path dataDir;

  private SharedStack(EmbeddedKafka kafka, EmbeddedS3 s3, Path dataDir) {
    this.kafka = kafka;
    this.s3 = s3;
    this.dataDir = dataDir;
  }

  public static synchronized SharedStack get() {
    if (instance == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("upload-stream-it-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafka kafka =
          EmbeddedKafka.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(90));
      EmbeddedS3 s3 = EmbeddedS3.onDisk(dir.resolve("s3"), 0).start();
      instance = new SharedStack(kafka, s3, dir);
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "shared-stack-stop"));
    }
    return instance;
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedS3 s3() {
    return s3;
  }

  public Path dataDir() {
    return dataDir;
  }

  private void stop() {
    s3.close();
    kafka.close();
  }
}
