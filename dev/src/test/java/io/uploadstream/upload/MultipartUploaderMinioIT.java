package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import java.net.URI;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The upload scenarios against MinIO in a container. Skipped, not passed, where no Docker engine
 * runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class MultipartUploaderMinioIT extends MultipartUploaderScenarios {
  @Container static final MinIOContainer MINIO = new MinIOContainer(Stores.MINIO_IMAGE);

  @Override
  S3ConnectionSettings connection() {
    return S3ConnectionSettings.endpoint(
        URI.create(MINIO.getS3URL()), "us-east-1", MINIO.getUserName(), MINIO.getPassword());
  }
}
