package io.uploadstream.ops;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import io.uploadstream.upload.UploadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Results and specs as the processor reports them, for listener tests. */
final class OpsTestResults {
  static final Instant STARTED_AT = Instant.parse("2025-08-16T16:31:05Z");

  private OpsTestResults() {}

  static UploadResult succeeded(String requestId, long size, Duration took) {
    return new UploadResult(
        1,
        requestId,
        null,
        null,
        Status.SUCCEEDED,
        "uploads",
        "tmp/20250816163104-" + requestId + ".bin",
        "https://cdn.example.com/uploads/tmp/20250816163104-" + requestId + ".bin",
        size,
        0,
        "\"etag\"",
        "application/octet-stream",
        null,
        STARTED_AT,
        STARTED_AT.plus(took),
        null);
  }

  static UploadResult failed(String requestId, ErrorCode code) {
    return new UploadResult(
        1,
        requestId,
        null,
        null,
        Status.FAILED,
        "uploads",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        STARTED_AT,
        STARTED_AT.plusMillis(5),
        new UploadError(code, "no file at /data/x", false));
  }

  static UploadSpec spec(String requestId) {
    return new UploadSpec(
        requestId, Path.of("/data/" + requestId), "uploads", "tmp/" + requestId, null, Map.of());
  }
}
