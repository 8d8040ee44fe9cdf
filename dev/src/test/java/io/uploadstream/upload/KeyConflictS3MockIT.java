package io.uploadstream.upload;

import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.testing.S3MockServer;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

/** The key conflict scenarios against Adobe S3Mock, the second S3 implementation. */
class KeyConflictS3MockIT extends KeyConflictScenarios {
  private static S3MockServer server;

  @BeforeAll
  static void startStore() {
    server = S3MockServer.shared();
  }

  @Override
  Set<StoreGap> gaps() {
    return StoreGap.OF_S3MOCK;
  }

  @Override
  S3ConnectionSettings connection() {
    return S3ConnectionSettings.endpoint(
        server.endpoint(), "us-east-1", server.accessKey(), server.secretKey());
  }
}
