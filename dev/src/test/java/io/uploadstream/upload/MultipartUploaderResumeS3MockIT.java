package io.uploadstream.upload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link MultipartUploaderResumeIT} against S3Mock behind the proxy instead of S3Proxy. */
class MultipartUploaderResumeS3MockIT extends MultipartUploaderResumeIT {
  @BeforeAll
  static void startStore() {
    useS3Mock();
  }

  /** The shared server stops at JVM exit. */
  @AfterAll
  static void stopStore() {}
}
