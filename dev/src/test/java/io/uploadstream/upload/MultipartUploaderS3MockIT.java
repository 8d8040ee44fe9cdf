package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.testing.S3MockServer;
import org.junit.jupiter.api.BeforeAll;

/**
 * The upload scenarios against Adobe S3Mock, a second S3 implementation independent of S3Proxy (its
 * own XML, multipart and checksum code), as a child JVM shared by the test JVM.
 */
class MultipartUploaderS3MockIT extends MultipartUploaderScenarios {
  private static S3MockServer server;

  @BeforeAll
  static void startStore() {
    server = S3MockServer.shared();
  }

  @Override
  S3ConnectionSettings connection() {
    return S3ConnectionSettings.endpoint(
        server.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }
}
