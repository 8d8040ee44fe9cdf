package io.uploadstream.processor;

import io.uploadstream.testing.PipelineFixture;
import java.net.URI;
import java.nio.file.Path;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The core pipeline scenarios against Kafka and MinIO in containers. Skipped, not passed, where no
 * Docker engine runs; the same scenarios always run against the embedded servers in {@link
 * ProcessorIT}.
 */
@Testcontainers(disabledWithoutDocker = true)
class ProcessorContainersIT extends PipelineScenarios {
  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");

  @Override
  PipelineFixture newPipeline(Path files, int partitions) {
    return new PipelineFixture(
        KAFKA.getBootstrapServers(),
        URI.create(MINIO.getS3URL()),
        MINIO.getUserName(),
        MINIO.getPassword(),
        files,
        partitions);
  }
}
