package io.uploadstream.upload;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3ConnectionSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key conflict scenarios against S3Proxy, in-process and in memory. */
class KeyConflictS3ProxyIT extends KeyConflictScenarios {
  private static EmbeddedS3 server;

  @BeforeAll
  static void startStore() {
    server = EmbeddedS3.inMemory().start();
  }

  @AfterAll
  static void stopStore() {
    server.close();
  }

  @Override
  S3ConnectionSettings connection() {
    return S3ConnectionSettings.endpoint(
        server.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }
}
