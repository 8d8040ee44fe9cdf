package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3ConnectionSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The upload scenarios against S3Proxy, in-process and in memory; plus its own quirks. */
class MultipartUploaderS3ProxyIT extends MultipartUploaderScenarios {
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

  /**
   * S3Proxy drops the connection after an empty {@code aws-chunked} body, which broke the next
   * request on that pooled connection; empty bodies are now sent whole. The uploader's own client
   * (SDK retries off) must be able to reuse its connections right away.
   */
  @Test
  void upload_emptyFiles_leavePooledConnectionsUsable() throws Exception {
    Path empty = TestFiles.random(dir, "empty.bin", 0, 7);

    for (int i = 0; i < 20; i++) {
      String key = "e/empty-" + i;
      succeeded(spec(empty, key));
      assertThat(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength()).isZero();
    }
  }
}
