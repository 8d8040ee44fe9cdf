package io.uploadstream.contract;

import io.uploadstream.contract.UploadResult.Checksum;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import java.time.Instant;
import java.util.Map;

/** Typical events, built the way the processor and publishers build them. */
final class TestEvents {

  static final Instant REQUESTED_AT = Instant.parse("2025-08-16T16:31:04Z");
  static final Instant STARTED_AT = Instant.parse("2025-08-16T16:31:05.120Z");
  static final Instant COMPLETED_AT = Instant.parse("2025-08-16T16:31:07.884123456Z");

  private TestEvents() {}

  static UploadRequest minimalRequest() {
    return UploadRequest.of("req-0001", "/data/uploads/11.png", "tmp");
  }

  static UploadRequest fullRequest() {
    return new UploadRequest(
        1,
        "3f1c2a9e-6a55-4f55-9d0e-5d4c1b7b2f10",
        "/data/uploads/reports/年度报告 2025.pdf",
        "reports/2025",
        "年度报告 2025 😀.pdf",
        "application/pdf",
        REQUESTED_AT,
        Map.of("uploaded-by", "alice", "source", "mobile"));
  }

  static UploadResult succeeded() {
    return new UploadResult(
        1,
        "req-0001",
        "/data/uploads/11.png",
        "tmp",
        Status.SUCCEEDED,
        "uploads",
        "tmp/20250816163104-11.png",
        "https://cdn.example.com/uploads/tmp/20250816163104-11.png",
        26_214_400L,
        4,
        "\"9b2cf535f27731c974343645a3985328-4\"",
        "image/png",
        new Checksum("CRC32C", "1yzM+w==-4"),
        STARTED_AT,
        COMPLETED_AT,
        null);
  }

  /** A failure after the key was computed, as most failures are. */
  static UploadResult failed(ErrorCode code) {
    return new UploadResult(
        1,
        "req-0003",
        null,
        null,
        Status.FAILED,
        "uploads",
        "tmp/20250816163104-missing.png",
        "https://cdn.example.com/uploads/tmp/20250816163104-missing.png",
        null,
        null,
        null,
        null,
        null,
        STARTED_AT,
        COMPLETED_AT,
        new UploadError(code, code + " happened", code == ErrorCode.STORAGE_ERROR));
  }

  /** A failure before anything was known beyond the request id (e.g. an unusable prefix). */
  static UploadResult failedBare(ErrorCode code) {
    return new UploadResult(
        1,
        "req-0004",
        null,
        null,
        Status.FAILED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new UploadError(code, "no", false));
  }
}
