package io.uploadstream.upload;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3ConnectionSettings;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The object option scenarios against S3Proxy, in-process, strict as {@link EmbeddedS3} runs it: it
 * has no tagging (501, named in the STORAGE_ERROR) and drops a multipart upload's storage class.
 */
class ObjectOptionsS3ProxyIT extends ObjectOptionsScenarios {
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

  @Override
  Set<StoreGap> gaps() {
    return StoreGap.OF_S3PROXY;
  }
}
