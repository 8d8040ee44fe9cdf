package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.AfterUpload;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.SourceFileState;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.keys.CdnUrls;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.ObjectOptions;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import io.uploadstream.upload.UploadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadJobTest {
  private static final Instant AT = Instant.parse("2025-08-16T16:31:04Z");
  @TempDir Path root;
  private final List<UploadSpec> uploaded = new CopyOnWriteArrayList<>();
  private final List<UploadSpec> lookedUp = new CopyOnWriteArrayList<>();

  @Test
  void deleteRequest_thatSucceeds_isDeletePending_andNamesTheFileForAfterTheCommit()
      throws Exception {
    Path file = Files.writeString(root.resolve("a.txt"), "a");

    Path real = file.toRealPath();

    JobOutcome.Answered answer =
        (JobOutcome.Answered) job(stored(), true).run(deleteRequest(file), Instant.EPOCH);

    assertThat(answer.result().status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(answer.result().sourceFile()).isEqualTo(SourceFileState.DELETE_PENDING);
    assertThat(answer.afterCommit())
        .hasValueSatisfying(
            deletion -> {
              assertThat(deletion.requestId()).isEqualTo("req-1");
              assertThat(deletion.file().realPath()).isEqualTo(real);
            });
    assertThat(file).as("deleted only once the result is committed, not by the job").exists();
  }

  /**
   * A delete request that names a symlink (inside the roots) would delete the file it points to,
   * not the name it gave: it is refused before anything is uploaded, and both stay.
   */
  @Test
  void deleteRequest_throughASymlink_isInvalid_andUploadsAndDeletesNothing() throws Exception {
    Path target = Files.writeString(root.resolve("target.txt"), "a");
    Path link = Files.createSymbolicLink(root.resolve("link.txt"), target);

    JobOutcome.Answered answer =
        (JobOutcome.Answered) job(stored(), true).run(deleteRequest(link), Instant.EPOCH);

    assertThat(answer.result().error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(answer.result().error().message()).contains("symbolic link").contains("target.txt");
    assertThat(answer.result().sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(answer.afterCommit()).isEmpty();
    assertThat(uploaded).isEmpty();
    assertThat(target).exists();
    assertThat(link).isSymbolicLink();
  }

  /** A keep request may name a symlink inside the roots: the file it points to is uploaded. */
  @Test
  void keepRequest_throughASymlink_uploadsTheFileItPointsTo() throws Exception {
    Path target = Files.writeString(root.resolve("target.txt"), "a");
    Path link = Files.createSymbolicLink(root.resolve("link.txt"), target);

    JobOutcome.Answered answer =
        (JobOutcome.Answered)
            job(stored(), true).run(UploadRequest.of("req-1", link.toString(), "tmp"), AT);

    assertThat(answer.result().status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(uploaded)
        .singleElement()
        .satisfies(spec -> assertThat(spec.file()).isEqualTo(target.toRealPath()));
  }

  @Test
  void deleteRequest_thatFails_keepsItsFile() throws Exception {
    Path file = Files.writeString(root.resolve("a.txt"), "a");
    FileUploader failing =
        (spec, opener) ->
            new UploadFailed(ErrorCode.STORAGE_ERROR, "store down", true, Instant.EPOCH);

    JobOutcome.Answered answer =
        (JobOutcome.Answered) job(failing, true).run(deleteRequest(file), Instant.EPOCH);

    assertThat(answer.result().error().code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(answer.result().sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(answer.afterCommit()).isEmpty();
  }

  @Test
  void deleteRequest_whoseFileIsGone_isAnsweredFromItsStoredObject() throws Exception {
    Path file = root.resolve("deleted.txt");
    UploadSucceeded object = storedObject("tmp/20250816163104-deleted.txt");
    StoredObjects store =
        spec -> {
          lookedUp.add(spec);
          return Optional.of(object);
        };

    JobOutcome.Answered answer =
        (JobOutcome.Answered) job(stored(), true, store).run(deleteRequest(file), Instant.EPOCH);

    assertThat(answer.result().status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    assertThat(answer.result().sourceFile()).isEqualTo(SourceFileState.GONE);
    assertThat(answer.result().key()).isEqualTo("tmp/20250816163104-deleted.txt");
    assertThat(answer.result().etag()).isEqualTo("etag-1");
    assertThat(answer.afterCommit()).isEmpty();
    assertThat(uploaded).isEmpty();
    assertThat(lookedUp)
        .singleElement()
        .satisfies(
            spec -> {
              assertThat(spec.key()).isEqualTo("tmp/20250816163104-deleted.txt");
              assertThat(spec.requestId()).isEqualTo("req-1");
            });
  }

  @Test
  void deleteRequest_whoseFileIsMissing_andNothingStored_isFileNotFound() throws Exception {
    JobOutcome.Answered answer =
        (JobOutcome.Answered)
            job(stored(), true, spec -> Optional.empty())
                .run(deleteRequest(root.resolve("never.txt")), Instant.EPOCH);

    assertThat(answer.result().error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
    assertThat(answer.result().sourceFile()).as("there is no file to keep").isNull();
  }

  @Test
  void keepRequest_whoseFileIsMissing_isFileNotFound_withoutLookingAtTheStore() throws Exception {
    UploadRequest keep = UploadRequest.of("req-1", root.resolve("never.txt").toString(), "tmp");

    JobOutcome.Answered answer =
        (JobOutcome.Answered)
            job(
                    stored(),
                    true,
                    spec -> {
                      throw new AssertionError("a keep request's missing file is just missing");
                    })
                .run(keep, AT);

    assertThat(answer.result().error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
  }

  @Test
  void deleteRequest_onAProcessorThatMayNotDelete_isInvalid_andUploadsNothing() throws Exception {
    Path file = Files.writeString(root.resolve("a.txt"), "a");

    JobOutcome.Answered answer =
        (JobOutcome.Answered) job(stored(), false).run(deleteRequest(file), Instant.EPOCH);

    assertThat(answer.result().error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(answer.result().error().message()).contains("processor.allow-delete=true");
    assertThat(answer.result().sourceFile()).isEqualTo(SourceFileState.KEPT);
    assertThat(uploaded).isEmpty();
    assertThat(file).exists();
  }

  @Test
  void theRequestsObjectOptions_overTheDefaults_reachTheUpload() throws Exception {
    Path file = Files.writeString(root.resolve("a.txt"), "a");
    UploadRequest request =
        new UploadRequest(
            1,
            "req-1",
            file.toString(),
            "tmp",
            null,
            null,
            AT,
            Map.of(),
            "no-cache",
            null,
            null,
            Map.of("env", "test"),
            null);

    job(stored(), false).run(request, Instant.EPOCH);

    assertThat(uploaded)
        .singleElement()
        .satisfies(
            spec ->
                assertThat(spec.options())
                    .isEqualTo(
                        new ObjectOptions(
                            "no-cache", "inline", null, Map.of("team", "uploads", "env", "test"))));
  }

  private UploadJob job(FileUploader uploader, boolean allowDelete) {
    return job(uploader, allowDelete, StoredObjects.NONE);
  }

  private UploadJob job(FileUploader uploader, boolean allowDelete, StoredObjects store) {
    ObjectDefaults defaults =
        new ObjectDefaults(null, "inline", null, Set.of(), Map.of("team", "uploads"));
    return new UploadJob(
        new PathGuard(List.of(root), 1 << 20),
        uploader,
        new StorageOutageWait(Duration.ZERO, Clock.systemUTC(), key -> () -> {}),
        "uploads",
        new CdnUrls("https://cdn.example.com", false),
        Clock.systemUTC(),
        ProcessorListener.NONE,
        new RequestRules(defaults, allowDelete),
        store,
        new SourceDeleter(ProcessorListener.NONE, Executors.newSingleThreadExecutor()),
        OptionalLong.empty());
  }

  private FileUploader stored() {
    return (spec, opener) -> {
      uploaded.add(spec);
      return storedObject(spec.key());
    };
  }

  private static UploadSucceeded storedObject(String key) {
    return new UploadSucceeded(
        "uploads", key, 1, 0, "etag-1", "text/plain", null, false, Instant.EPOCH, Instant.EPOCH);
  }

  private static UploadRequest deleteRequest(Path file) {
    return new UploadRequest(
        1,
        "req-1",
        file.toString(),
        "tmp",
        null,
        null,
        AT,
        Map.of(),
        null,
        null,
        null,
        Map.of(),
        AfterUpload.DELETE);
  }

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
