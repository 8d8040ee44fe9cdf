package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.keys.CdnUrls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadJobTest {
  @TempDir Path root;

  /**
   * The schema refuses metadata names with the reserved prefix; a request that reaches the job some
   * other way must not forge the request id the processor stores with every object.
   */
  @Test
  void metadataWithTheReservedPrefix_failsInvalidRequest_withoutUploading() throws Exception {
    Path file = Files.writeString(root.resolve("a.txt"), "a");
    AtomicInteger uploads = new AtomicInteger();
    UploadJob job =
        new UploadJob(
            new PathGuard(List.of(root), 1 << 20),
            (spec, opener) -> {
              uploads.incrementAndGet();
              throw new AssertionError("must not upload");
            },
            new StorageOutageWait(Duration.ZERO, Clock.systemUTC(), key -> () -> {}),
            "uploads",
            new CdnUrls("https://cdn.example.com", false),
            Clock.systemUTC(),
            ProcessorListener.NONE);
    UploadRequest request =
        new UploadRequest(
            1,
            "req-1",
            file.toString(),
            "tmp",
            null,
            null,
            Instant.parse("2025-08-16T16:31:04Z"),
            Map.of("Upload-Stream-Request-Id", "req-other"));

    UploadResult result = ((JobOutcome.Answered) job.run(request, Instant.EPOCH)).result();

    assertThat(result.status()).isEqualTo(UploadResult.Status.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(result.error().message()).contains("Upload-Stream-Request-Id", "upload-stream-");
    assertThat(uploads).hasValue(0);
  }
}
