package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.testing.PipelineFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile requests through a real processor: each is refused with the right error code (a FAILED
 * result) or goes to the dead-letter topic, and nothing is ever uploaded.
 */
class HostileInputIT {
  @TempDir static Path tmp;
  static Path root;
  static Path outside;
  static PipelineFixture pipeline;
  static SwapAfterTheCheck swapper;

  /** One hostile record and what it must end as: a FAILED result code, or a dead-letter reason. */
  @SuppressWarnings("ArrayRecordComponent") // test cases, never compared or hashed
  record Case(
      String name, String requestId, byte[] record, ErrorCode code, String deadLetterReason) {
    static Case failed(String name, String requestId, String json, ErrorCode code) {
      return new Case(name, requestId, json.getBytes(StandardCharsets.UTF_8), code, null);
    }

    static Case deadLetter(String name, byte[] record, String reason) {
      return new Case(name, null, record, null, reason);
    }

    /** Refused for its shape, but its requestId is readable: answered as well. */
    static Case deadLetterAndAnswer(String name, String requestId, String json, String reason) {
      return new Case(
          name,
          requestId,
          json.getBytes(StandardCharsets.UTF_8),
          ErrorCode.INVALID_REQUEST,
          reason);
    }
  }

  @BeforeAll
  static void files() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "TOP SECRET");
    Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret.txt"));
    Files.createDirectories(root.resolve("a-directory"));
    Files.write(root.resolve("too-big.bin"), new byte[4096]);
    Files.writeString(root.resolve("fine.txt"), "fine");
    Files.createSymbolicLink(root.resolve("escape-missing"), outside.resolve("id_ed25519"));
    mkfifo(root.resolve("fifo"));
    for (String name : SWAPS.keySet()) {
      Files.writeString(root.resolve(name + ".txt"), "harmless");
    }
    pipeline = PipelineFixture.onSharedStack(root, 2).set("upload.max-file-size", "1KiB");
    swapper = new SwapAfterTheCheck(root, SWAPS);
    pipeline.startProcessor("hostile", swapper);
  }

  /**
   * Swaps done between the path check and the uploader's open of the file, by request id: the
   * processor tells its listener that the check passed ({@code uploadStarted}) just before it hands
   * the file to the uploader, on the same thread.
   */
  static final Map<String, Swap> SWAPS =
      Map.of(
          "s1", file -> replaceWithFifo(file),
          "s2", file -> Files.createLink(file, outside.resolve("secret.txt")),
          "s3", file -> replaceWith(file, new byte[4096]),
          "s4", file -> replaceWith(file, "HARMLESS".getBytes(StandardCharsets.UTF_8)));

  @FunctionalInterface
  interface Swap {
    /** Replaces {@code file}, already deleted, by something else. */
    void at(Path file) throws Exception;
  }

  /** Runs a request's swap on the worker thread, after the check and before the open. */
  static final class SwapAfterTheCheck implements ProcessorListener {
    private final Path dir;
    private final Map<String, Swap> swaps;
    final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    SwapAfterTheCheck(Path dir, Map<String, Swap> swaps) {
      this.dir = dir;
      this.swaps = swaps;
    }

    @Override
    public void uploadStarted(String requestId, long sizeBytes) {
      Swap swap = swaps.get(requestId);
      if (swap == null) {
        return;
      }
      try {
        Path file = dir.resolve(requestId + ".txt");
        Files.delete(file);
        swap.at(file);
      } catch (Exception e) {
        failures.add(e);
      }
    }
  }

  @AfterAll
  static void close() {
    pipeline.close();
  }

  static List<Case> cases() {
    String fine = root.resolve("fine.txt").toString();
    return List.of(
        Case.failed(
            "outside the roots",
            "h1",
            request("h1", outside.resolve("secret.txt").toString(), "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "../ traversal",
            "h2",
            request("h2", root + "/../outside/secret.txt", "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "symlink inside a root pointing out",
            "h3",
            request("h3", root.resolve("escape").toString(), "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed("/dev/zero", "h4", request("h4", "/dev/zero", "p"), ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "/proc/self/environ",
            "h5",
            request("h5", "/proc/self/environ", "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "a FIFO",
            "h6",
            request("h6", root.resolve("fifo").toString(), "p"),
            ErrorCode.NOT_A_REGULAR_FILE),
        Case.failed(
            "a directory",
            "h7",
            request("h7", root.resolve("a-directory").toString(), "p"),
            ErrorCode.NOT_A_REGULAR_FILE),
        Case.failed(
            "over the size limit",
            "h8",
            request("h8", root.resolve("too-big.bin").toString(), "p"),
            ErrorCode.FILE_TOO_LARGE),
        Case.failed(
            "prefix with ..", "h9", request("h9", fine, "a/../../b"), ErrorCode.INVALID_REQUEST),
        Case.failed(
            "prefix with control characters",
            "h10",
            request("h10", fine, "a\\u0007b\\u001b[31m"),
            ErrorCode.INVALID_REQUEST),
        Case.failed(
            "fileName containing /",
            "h11",
            "{\"requestId\":\"h11\",\"filePath\":\""
                + fine
                + "\",\"prefix\":\"p\",\"fileName\":\"sub/name.txt\"}",
            ErrorCode.INVALID_REQUEST),
        Case.failed(
            "relative path", "h12", request("h12", "fine.txt", "p"), ErrorCode.INVALID_REQUEST),
        Case.failed(
            "outside the roots, missing",
            "h19",
            request("h19", outside.resolve("id_ed25519").toString(), "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "/etc/passwd", "h20", request("h20", "/etc/passwd", "p"), ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "/etc/no-such-file",
            "h21",
            request("h21", "/etc/no-such-file", "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "symlink inside a root pointing to a missing file outside",
            "h22",
            request("h22", root.resolve("escape-missing").toString(), "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "swapped for a FIFO after the check",
            "s1",
            request("s1", root.resolve("s1.txt").toString(), "p"),
            ErrorCode.NOT_A_REGULAR_FILE),
        Case.failed(
            "swapped for a hard link to a file outside after the check",
            "s2",
            request("s2", root.resolve("s2.txt").toString(), "p"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.failed(
            "swapped for a file over the size limit after the check",
            "s3",
            request("s3", root.resolve("s3.txt").toString(), "p"),
            ErrorCode.FILE_TOO_LARGE),
        Case.failed(
            "swapped for another file after the check",
            "s4",
            request("s4", root.resolve("s4.txt").toString(), "p"),
            ErrorCode.FILE_CHANGED),
        Case.deadLetter(
            "over-long requestId",
            request("x".repeat(129), fine, "p").getBytes(StandardCharsets.UTF_8),
            "SCHEMA_VIOLATION"),
        Case.deadLetter("a 10 MiB record", tenMiBRecord(), "TOO_LARGE"),
        Case.deadLetter(
            "deeply nested JSON",
            "[".repeat(100_000).getBytes(StandardCharsets.UTF_8),
            "INVALID_JSON"),
        Case.deadLetter(
            "invalid UTF-8",
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
            "INVALID_UTF8"),
        Case.deadLetterAndAnswer(
            "NUL in the path",
            "h17",
            request("h17", root + "/fine.txt\\u0000.png", "p"),
            "SCHEMA_VIOLATION"),
        Case.deadLetterAndAnswer(
            "a 100,000-character cacheControl",
            "o-cc-huge",
            request("o-cc-huge", fine, "p")
                .replace("}", ",\"cacheControl\":\"" + "a".repeat(100_000) + "\"}"),
            "SCHEMA_VIOLATION"),
        Case.failed(
            "a 900 KB record with a long unknown field",
            "h-pad",
            request("h-pad", "/etc/passwd", "p")
                .replace("}", ",\"pad\":\"" + "x".repeat(900_000) + "\"}"),
            ErrorCode.PATH_NOT_ALLOWED),
        Case.deadLetter(
            "a lone UTF-16 surrogate in the requestId",
            bytes(request("c-sur\\ud800", fine, "p")),
            "SCHEMA_VIOLATION"),
        Case.deadLetterAndAnswer(
            "a lone UTF-16 surrogate in the path",
            "h-sur",
            request("h-sur", root + "/fine\\udc00.txt", "p"),
            "SCHEMA_VIOLATION"),
        Case.deadLetterAndAnswer(
            "a 5,000-digit number",
            "h-num",
            request("h-num", fine, "p").replace("}", ",\"n\":" + "9".repeat(5_000) + "}"),
            "INVALID_JSON"),
        Case.deadLetter(
            "not an object",
            "[\"/etc/passwd\"]".getBytes(StandardCharsets.UTF_8),
            "NOT_AN_OBJECT"));
  }

  @Test
  void everyHostileRecord_isRefusedWithTheRightCode_orDeadLettered_andNothingIsUploaded() {
    List<Case> cases = cases();
    cases.forEach(c -> pipeline.publishRaw(c.requestId(), c.record()));
    long expectedResults = cases.stream().filter(c -> c.code() != null).count();
    long expectedLetters = cases.stream().filter(c -> c.deadLetterReason() != null).count();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                pipeline.results().size() >= expectedResults
                    && pipeline.deadLetters().size() >= expectedLetters);

    Map<String, UploadResult> results =
        pipeline.results().stream()
            .collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
    List<String> reasons =
        pipeline.deadLetters().stream().map(HostileInputIT::reason).collect(Collectors.toList());
    for (Case c : cases) {
      if (c.code() != null) {
        assertThat(results.get(c.requestId()))
            .as(c.name())
            .isNotNull()
            .satisfies(r -> assertThat(r.status()).isEqualTo(UploadResult.Status.FAILED))
            .satisfies(r -> assertThat(r.error().code()).as(c.name()).isEqualTo(c.code()));
      }
      if (c.deadLetterReason() != null) {
        assertThat(reasons).as(c.name()).contains(c.deadLetterReason());
        reasons.remove(c.deadLetterReason());
      }
    }
    assertThat(results).hasSize((int) expectedResults);
    assertThat(swapper.failures).isEmpty();
    assertSameAnswer(
        results.get("h1"),
        outside.resolve("secret.txt"),
        results.get("h19"),
        outside.resolve("id_ed25519"));
    assertSameAnswer(
        results.get("h20"),
        Path.of("/etc/passwd"),
        results.get("h21"),
        Path.of("/etc/no-such-file"));
    assertSameAnswer(
        results.get("h3"),
        root.resolve("escape"),
        results.get("h22"),
        root.resolve("escape-missing"));
    assertThat(results.get("h3").error().message())
        .contains("symbolic link")
        .doesNotContain(outside.toString());
    assertThat(pipeline.s3().listObjectsV2(b -> b.bucket(pipeline.bucket)).contents())
        .as("nothing was uploaded")
        .isEmpty();
    ConsumerRecord<byte[], byte[]> huge =
        pipeline.deadLetters().stream()
            .filter(r -> "TOO_LARGE".equals(reason(r)))
            .findFirst()
            .orElseThrow();
    assertThat(header(huge, "upload-stream.dlq.truncated")).isEqualTo("true");
    assertThat(header(huge, "upload-stream.dlq.original-size"))
        .isEqualTo(String.valueOf(10 * 1024 * 1024));
  }

  @Test
  void
      fifosSwappedInAfterTheCheck_moreThanUploadSlots_areRefusedWithinASecond_andTheProcessorServesOn()
          throws Exception {
    Path slots = Files.createDirectories(tmp.resolve("slots"));
    int uploadSlots = 2;
    Map<String, Swap> swaps = new java.util.HashMap<>();
    for (int i = 1; i <= uploadSlots + 2; i++) {
      swaps.put("fifo-" + i, HostileInputIT::replaceWithFifo);
      Files.writeString(slots.resolve("fifo-" + i + ".txt"), "harmless");
    }
    Files.writeString(slots.resolve("after.txt"), "served after the swaps");
    SwapAfterTheCheck fifoSwapper = new SwapAfterTheCheck(slots, swaps);
    try (PipelineFixture fixture =
        PipelineFixture.onSharedStack(slots, 1)
            .set("processor.uploads-in-flight", String.valueOf(uploadSlots))) {
      fixture.startProcessor("fifo-swaps", fifoSwapper);
      for (String requestId : swaps.keySet()) {
        fixture.publishRaw(
            requestId,
            bytes(request(requestId, slots.resolve(requestId + ".txt").toString(), "p")));
      }
      fixture.publishRaw(
          "after", bytes(request("after", slots.resolve("after.txt").toString(), "p")));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fixture.results().size() >= swaps.size() + 1);

      Map<String, UploadResult> results =
          fixture.results().stream()
              .collect(Collectors.toMap(UploadResult::requestId, Function.identity()));
      for (String requestId : swaps.keySet()) {
        UploadResult refused = results.get(requestId);
        assertThat(refused.error().code()).as(requestId).isEqualTo(ErrorCode.NOT_A_REGULAR_FILE);
        assertThat(Duration.between(refused.startedAt(), refused.completedAt()))
            .as(requestId + " answered within about a second")
            .isLessThan(Duration.ofMillis(1500));
      }
      assertThat(results.get("after").status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(fifoSwapper.failures).isEmpty();
    }
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** An existing and a missing path answer alike: same code, same message but for the path. */
  private static void assertSameAnswer(
      UploadResult existing, Path existingPath, UploadResult missing, Path missingPath) {
    assertThat(missing.error().code()).isEqualTo(existing.error().code());
    assertThat(missing.error().message().replace(missingPath.toString(), "<path>"))
        .isEqualTo(existing.error().message().replace(existingPath.toString(), "<path>"));
  }

  private static void replaceWithFifo(Path file) throws Exception {
    mkfifo(file);
  }

  private static void replaceWith(Path file, byte[] content) throws Exception {
    Path next = Files.write(file.resolveSibling(file.getFileName() + ".next"), content);
    Files.move(next, file);
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static String request(String requestId, String filePath, String prefix) {
    return "{\"requestId\":\""
        + requestId
        + "\",\"filePath\":\""
        + filePath
        + "\",\"prefix\":\""
        + prefix
        + "\"}";
  }

  private static byte[] tenMiBRecord() {
    byte[] record = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(record, (byte) ' ');
    byte[] start =
        "{\"requestId\":\"big\",\"filePath\":\"/x\",\"prefix\":\"p\",\"pad\":\""
            .getBytes(StandardCharsets.UTF_8);
    System.arraycopy(start, 0, record, 0, start.length);
    record[record.length - 2] = '"';
    record[record.length - 1] = '}';
    return record;
  }

  private static String reason(ConsumerRecord<byte[], byte[]> record) {
    return header(record, "upload-stream.dlq.reason");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
