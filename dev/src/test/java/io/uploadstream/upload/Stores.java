package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.testing.S3MockServer;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Test-side access to a store, independent of the client under test. */
final class Stores {
  /**
   * The MinIO the container tests run: the release docker-compose.yml deploys, which answers
   * conditional writes (If-None-Match, If-Match) as S3 does.
   */
  static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

  private Stores() {}

  /** A plain client with the SDK's default retries, for setup and read-back. */
  static S3Client verifyingClient(S3ConnectionSettings connection) {
    return S3Client.builder()
        .endpointOverride(connection.endpoint())
        .region(Region.of(connection.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(connection.accessKey(), connection.secretKey())))
        .build();
  }

  /** The shared S3Mock child JVM, the tests' second S3 implementation. */
  static S3ConnectionSettings s3mock() {
    S3MockServer server = S3MockServer.shared();
    return S3ConnectionSettings.endpoint(
        server.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }

  static List<MultipartUpload> incompleteUploads(S3Client store, String bucket) {
    return store.listMultipartUploads(b -> b.bucket(bucket)).uploads();
  }

  static boolean exists(S3Client store, String bucket, String key) {
    return store.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream()
        .anyMatch(o -> o.key().equals(key));
  }
}
