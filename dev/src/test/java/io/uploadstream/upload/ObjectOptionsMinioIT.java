package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The object option scenarios against MinIO in a container; skipped, not passed, where no Docker
 * engine runs (as here: nothing below was measured on this machine). MinIO keeps only STANDARD and
 * REDUCED_REDUNDANCY storage classes, and encrypts only with a KMS configured, which this container
 * has not: its SSE scenarios are skipped as a gap.
 */
@Testcontainers(disabledWithoutDocker = true)
class ObjectOptionsMinioIT extends ObjectOptionsScenarios {
  @Container static final MinIOContainer MINIO = new MinIOContainer(Stores.MINIO_IMAGE);

  @Override
  S3ConnectionSettings connection() {
    return S3ConnectionSettings.endpoint(
        URI.create(MINIO.getS3URL()), "us-east-1", MINIO.getUserName(), MINIO.getPassword());
  }

  @Override
  Set<StoreGap> gaps() {
    return EnumSet.of(StoreGap.NO_SERVER_SIDE_ENCRYPTION);
  }

  @Override
  String storageClass() {
    return "REDUCED_REDUNDANCY";
  }
}
