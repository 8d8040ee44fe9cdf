package io.uploadstream.upload;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Sends one file as a multipart upload. When allowed, it first resumes the upload an earlier
 * attempt at the same request left for the key (see {@link ResumableUpload}), sending only the
 * parts that are missing; otherwise it creates a fresh upload. Either way it completes the upload
 * under the caller's {@link WriteCondition}, or aborts it when it can never complete (a 4xx, a
 * changed or unreadable file). It is kept for the next attempt to resume when the store kept
 * failing ({@link StorageException#uploadKept()}) or the upload was interrupted: a cancel on
 * revocation or shutdown leaves the request to its next owner, which resumes it, so nothing is
 * aborted under that owner.
 *
 * <p>A failure that means the key or the upload changed meanwhile ({@link
 * StorageException#lostRace()}: the condition refused at Complete, the upload gone) aborts the
 * upload and is thrown: the caller decides again from what the key holds now ({@link KeyWriter}).
 */
final class MultipartTransfer {
  private static final Logger log = LoggerFactory.getLogger(MultipartTransfer.class);

  private final S3Client s3;
  private final StorageRetry retry;
  private final IncompleteUploads incompleteUploads;
  private final ObjectHeads heads;

  /** What was stored; {@code adopted} when an upload an earlier attempt left was completed. */
  record Sent(StoredObject stored, boolean adopted) {}

  MultipartTransfer(S3Client s3, StorageRetry retry, ObjectHeads heads) {
    this.s3 = s3;
    this.retry = retry;
    this.incompleteUploads = new IncompleteUploads(s3, retry);
    this.heads = heads;
  }

  /**
   * @param mayResume false when another upload of this uploader targets the same key right now: its
   *     upload must not be resumed.
   */
  Sent send(
      UploadContext upload,
      PartPlan plan,
      String contentType,
      WriteCondition condition,
      boolean mayResume)
      throws IOException, InterruptedException {
    Optional<ResumableUpload> resumable =
        mayResume ? findResumable(upload, plan) : Optional.empty();
    if (resumable.isEmpty()) {
      MultipartSession session =
          Interruptible.call(
              () ->
                  MultipartSession.create(
                      s3, retry, upload.spec(), contentType, upload.settings()));
      return new Sent(sendParts(upload, plan, session, Map.of(), condition), false);
    }
    MultipartSession session =
        MultipartSession.resume(s3, retry, upload.spec(), contentType, resumable.get().uploadId());
    StoredObject stored =
        sendParts(upload, plan, session, resumable.get().verifiedParts(), condition);
    return new Sent(stored, true);
  }

  /** Resuming is an optimisation: when the store cannot be listed, a fresh upload still works. */
  private Optional<ResumableUpload> findResumable(UploadContext upload, PartPlan plan)
      throws IOException, InterruptedException {
    try {
      return Interruptible.call(() -> ResumableUpload.find(incompleteUploads, upload, plan));
    } catch (StorageException e) {
      log.warn("cannot look for an upload to resume, starting a fresh one: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private StoredObject sendParts(
      UploadContext upload,
      PartPlan plan,
      MultipartSession session,
      Map<Integer, CompletedPart> adoptedParts,
      WriteCondition condition)
      throws IOException, InterruptedException {
    boolean completed = false;
    boolean kept = false;
    try {
      List<CompletedPart> parts =
          new PartScheduler(upload, session, plan, adoptedParts).uploadAll();
      upload.file().verifyUnchanged();
      Interruptible.call(() -> checkBeforeComplete(upload.spec(), session, condition));
      CompleteMultipartUploadResponse response =
          Interruptible.call(() -> session.complete(parts, condition));
      completed = true;
      return StoredObject.of(response.eTag(), reportedCrc32c(upload, response));
    } catch (InterruptedException | ClosedByInterruptException e) {
      kept = true;
      logKept(upload, session, "interrupted (partition revoked or processor stopping)");
      throw e;
    } catch (StorageException e) {
      if (Thread.interrupted()) { // a call cut short by the cancel: as for an interrupt
        kept = true;
        logKept(upload, session, "interrupted (partition revoked or processor stopping)");
        throw Interruptible.interrupted(e.operation(), e);
      }
      throwIfFileChanged(upload, e);
      if (!isOutage(e)) {
        throw e;
      }
      kept = true;
      logKept(upload, session, e.getMessage());
      throw e.withUploadKept();
    } finally {
      if (!completed && !kept) {
        session.abort();
      }
    }
  }

  /**
   * Where the store checks no condition ({@code s3.conditional-writes=false}), a HeadObject right
   * before Complete does, failing as the store would: this narrows the window in which another
   * request can write the key from the whole upload to a few milliseconds.
   */
  private Void checkBeforeComplete(
      UploadSpec spec, MultipartSession session, WriteCondition condition) {
    if (condition.checkedByUploader() && !condition.heldBy(heads.find(spec))) {
      throw StorageException.preconditionFailed(
          "CompleteMultipartUpload",
          spec,
          session.uploadId(),
          "the key changed since it was checked (" + condition + ")");
    }
    return null;
  }

  /**
   * Whether the store kept failing (retries ran out on a retryable failure): then its stored parts
   * are worth keeping for the next attempt, which resumes the upload, as after an interrupt (a
   * cancel on revocation or shutdown: the record is certain to be delivered again). A failure that
   * means the upload can never complete (a 4xx, a changed or unreadable file) aborts it.
   */
  private static boolean isOutage(StorageException e) {
    return e.retryable();
  }

  private static void logKept(UploadContext upload, MultipartSession session, String why) {
    log.warn(
        "keeping multipart upload {} of s3://{}/{} for the next attempt to resume: {}",
        session.uploadId(),
        upload.spec().bucket(),
        upload.spec().key(),
        why);
  }

  /**
   * When the store failed a part while the file changed, the change is the cause worth reporting: a
   * part streamed from the file and changed after its checksum was taken fails with BadDigest.
   */
  private static void throwIfFileChanged(UploadContext upload, StorageException failure)
      throws FileChangedException {
    try {
      upload.file().verifyUnchanged();
    } catch (FileChangedException changed) {
      changed.addSuppressed(failure);
      throw changed;
    } catch (IOException e) { // e.g. the channel closed by a cancelled part: cannot tell
      failure.addSuppressed(e);
    }
  }

  private static String reportedCrc32c(
      UploadContext upload, CompleteMultipartUploadResponse response) {
    return upload.settings().checksumAlgorithm() == ChecksumAlgorithm.CRC32C
        ? response.checksumCRC32C()
        : null;
  }
}
