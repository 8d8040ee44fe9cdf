package io.uploadstream.upload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link MultipartUploaderIntegrityIT} against S3Mock behind the proxy instead of S3Proxy. */
class MultipartUploaderIntegrityS3MockIT extends MultipartUploaderIntegrityIT {
  @BeforeAll
  static void startStore() {
    useS3Mock();
  }

  /** The shared server stops at JVM exit. */
  @AfterAll
  static void stopStore() {}
}
