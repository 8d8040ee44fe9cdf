package io.uploadstream.upload;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A multipart upload an earlier attempt (a crashed or stopped processor, a store outage) left for
 * the same key, and the parts it stored. Keys are deterministic, so a redelivered request finds the
 * upload its first delivery started and sends only what is missing.
 *
 * <p>An upload of the key may also be another instance's, running now: two requests with the same
 * key (keys have second precision) on two instances at once. So uploads initiated less than {@link
 * #MIN_AGE_TO_ABORT} ago (or of unknown age) are never aborted here, only resumed when they fit;
 * the janitor removes them once they are old. Resuming a running upload is safe for the same file:
 * whichever instance completes it first stores the object, and the other finds the upload gone and
 * the object stored ({@link MultipartTransfer}).
 */
record ResumableUpload(String uploadId, PartVerifier storedParts) {
  private static final Logger log = LoggerFactory.getLogger(ResumableUpload.class);

  /** Younger uploads of the key may be another instance's, running now. */
  static final Duration MIN_AGE_TO_ABORT = Duration.ofMinutes(5);

  private static final Comparator<MultipartUpload> NEWEST_FIRST =
      Comparator.comparing(
              MultipartUpload::initiated, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(MultipartUpload::uploadId)
          .reversed();

  ResumableUpload {
    Objects.requireNonNull(uploadId, "uploadId");
    Objects.requireNonNull(storedParts, "storedParts");
  }

  /**
   * Looks for incomplete uploads of exactly {@code spec.key()}: the newest one is resumed when its
   * parts fit {@code plan} (no part stored fits too); the others, and the newest when its parts do
   * not fit (the part size setting or the file changed), are aborted unless initiated less than
   * {@link #MIN_AGE_TO_ABORT} before {@code now}. Empty: start a fresh upload.
   *
   * @throws StorageException when the store cannot be listed
   */
  static Optional<ResumableUpload> find(
      IncompleteUploads uploads,
      UploadSpec spec,
      PartPlan plan,
      ChecksumAlgorithm algorithm,
      Instant now) {
    Instant youngSince = now.minus(MIN_AGE_TO_ABORT);
    List<MultipartUpload> sameKey =
        uploads.under(spec.bucket(), spec.key()).stream()
            .filter(u -> spec.key().equals(u.key()))
            .sorted(NEWEST_FIRST)
            .toList();
    if (sameKey.isEmpty()) {
      return Optional.empty();
    }
    MultipartUpload newest = sameKey.get(0);
    for (MultipartUpload older : sameKey.subList(1, sameKey.size())) {
      abortIfOld(uploads, spec, older, youngSince, "a newer upload of the same key is resumed");
    }
    Optional<String> misfit = checksumMisfit(newest, algorithm);
    List<Part> parts =
        misfit.isPresent()
            ? List.of()
            : uploads.parts(spec.bucket(), spec.key(), newest.uploadId());
    misfit = misfit.or(() -> partsMisfit(parts, plan));
    if (misfit.isPresent()) {
      abortIfOld(uploads, spec, newest, youngSince, misfit.get());
      return Optional.empty();
    }
    log.info(
        "resuming multipart upload {} of s3://{}/{}: {} of {} parts stored, to be verified",
        newest.uploadId(),
        spec.bucket(),
        spec.key(),
        parts.size(),
        plan.partCount());
    return Optional.of(new ResumableUpload(newest.uploadId(), PartVerifier.of(parts)));
  }

  /** Why the stored parts cannot be completed into this file with this plan, if they cannot. */
  private static Optional<String> partsMisfit(List<Part> parts, PartPlan plan) {
    // No part stored fits: resuming it (rather than aborting it) leaves nothing behind when it is
    // a crashed attempt's, and does not break another instance's upload that just started.
    for (Part part : parts) {
      int number = part.partNumber();
      if (number < 1 || number > plan.partCount()) {
        return Optional.of("part " + number + " is beyond the " + plan.partCount() + " planned");
      }
      if (part.size() == null || part.size() != plan.length(number)) {
        return Optional.of(
            "part " + number + " has " + part.size() + " bytes, the plan " + plan.length(number));
      }
    }
    return Optional.empty();
  }

  /** A store that reports the upload's checksum algorithm must report ours (null: not reported). */
  private static Optional<String> checksumMisfit(MultipartUpload upload, ChecksumAlgorithm ours) {
    if (upload.checksumAlgorithmAsString() == null) {
      return Optional.empty();
    }
    boolean same =
        ours == ChecksumAlgorithm.CRC32C
            && upload.checksumAlgorithm()
                == software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C;
    return same
        ? Optional.empty()
        : Optional.of("it uses checksum " + upload.checksumAlgorithmAsString() + ", not " + ours);
  }

  private static void abortIfOld(
      IncompleteUploads uploads,
      UploadSpec spec,
      MultipartUpload upload,
      Instant youngSince,
      String reason) {
    if (upload.initiated() == null || !upload.initiated().isBefore(youngSince)) {
      log.info(
          "leaving multipart upload {} of s3://{}/{} ({}): initiated {}, it may still be running",
          upload.uploadId(),
          spec.bucket(),
          spec.key(),
          reason,
          upload.initiated());
      return;
    }
    log.info(
        "aborting multipart upload {} of s3://{}/{}: {}",
        upload.uploadId(),
        spec.bucket(),
        spec.key(),
        reason);
    try {
      uploads.abort(spec.bucket(), spec.key(), upload.uploadId());
    } catch (StorageException e) {
      log.warn("{}; the janitor or the bucket's lifecycle rule will remove it", e.getMessage());
    }
  }
}
