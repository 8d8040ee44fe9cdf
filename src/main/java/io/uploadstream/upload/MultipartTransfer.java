package io.uploadstream.upload;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Sends one file as a multipart upload. When allowed, it first resumes the upload an earlier
 * attempt left for the same key (see {@link ResumableUpload}), sending only the parts that are
 * missing or do not match the file; otherwise it creates a fresh upload. Either way it completes
 * the upload, or aborts it when it can never complete (a 4xx, a changed or unreadable file). It is
 * kept for the next attempt to resume when the store kept failing ({@link
 * StorageException#uploadKept()}) or the upload was interrupted: a cancel on revocation or shutdown
 * leaves the request to its next owner, which resumes it, so nothing is aborted under that owner.
 *
 * <p>An upload found gone (NoSuchUpload on a part or on Complete) was completed or aborted
 * meanwhile: by another instance uploading the same key at the same time, which may have resumed
 * and completed this very upload, or by a janitor. If the object now stored at the key is exactly
 * this file, the upload succeeds as reused; otherwise a fresh upload replaces it, once.
 */
final class MultipartTransfer {
  private static final Logger log = LoggerFactory.getLogger(MultipartTransfer.class);

  private final S3Client s3;
  private final StorageRetry retry;
  private final IncompleteUploads incompleteUploads;
  private final ExistingObject existingObject;
  private final Clock clock;

  MultipartTransfer(S3Client s3, StorageRetry retry, ExistingObject existingObject, Clock clock) {
    this.s3 = s3;
    this.retry = retry;
    this.incompleteUploads = new IncompleteUploads(s3, retry);
    this.existingObject = existingObject;
    this.clock = clock;
  }

  /**
   * @param mayResume false when another upload of this uploader targets the same key right now: its
   *     upload must be neither resumed nor aborted.
   */
  StoredObject send(UploadContext upload, PartPlan plan, String contentType, boolean mayResume)
      throws IOException, InterruptedException {
    try {
      return resumeOrCreate(upload, plan, contentType, mayResume);
    } catch (StorageException e) {
      if (!e.noSuchUpload()) {
        throw e;
      }
      log.warn("multipart upload is gone (completed or aborted meanwhile): {}", e.getMessage());
      try (SourceFile file = upload.file().reopen()) { // cancelled parts may have closed it
        UploadContext again = upload.withFile(file);
        Optional<StoredObject> stored =
            Interruptible.call(() -> existingObject.matching(again, plan, contentType));
        return stored.isPresent() ? stored.get() : sendFresh(again, plan, contentType);
      }
    }
  }

  private StoredObject resumeOrCreate(
      UploadContext upload, PartPlan plan, String contentType, boolean mayResume)
      throws IOException, InterruptedException {
    Optional<ResumableUpload> resumable =
        mayResume ? findResumable(upload, plan) : Optional.empty();
    if (resumable.isEmpty()) {
      return sendFresh(upload, plan, contentType);
    }
    MultipartSession session =
        MultipartSession.resume(s3, retry, upload.spec(), contentType, resumable.get().uploadId());
    return sendParts(upload, plan, session, resumable.get().storedParts());
  }

  /** Resuming is an optimisation: when the store cannot be listed, a fresh upload still works. */
  private Optional<ResumableUpload> findResumable(UploadContext upload, PartPlan plan)
      throws IOException, InterruptedException {
    try {
      return Interruptible.call(
          () ->
              ResumableUpload.find(
                  incompleteUploads,
                  upload.spec(),
                  plan,
                  upload.settings().checksumAlgorithm(),
                  clock.instant()));
    } catch (StorageException e) {
      log.warn("cannot look for an upload to resume, starting a fresh one: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private StoredObject sendFresh(UploadContext upload, PartPlan plan, String contentType)
      throws IOException, InterruptedException {
    MultipartSession session =
        Interruptible.call(
            () ->
                MultipartSession.create(
                    s3, retry, upload.spec(), contentType, upload.settings().checksumAlgorithm()));
    return sendParts(upload, plan, session, PartVerifier.NONE);
  }

  private StoredObject sendParts(
      UploadContext upload, PartPlan plan, MultipartSession session, PartVerifier storedParts)
      throws IOException, InterruptedException {
    boolean completed = false;
    boolean kept = false;
    try {
      List<CompletedPart> parts = new PartScheduler(upload, session, plan, storedParts).uploadAll();
      upload.file().verifyUnchanged();
      CompleteMultipartUploadResponse response = Interruptible.call(() -> session.complete(parts));
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
