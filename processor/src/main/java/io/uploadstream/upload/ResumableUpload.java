package io.uploadstream.upload;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * A multipart upload an earlier attempt at the same request (a crashed or stopped processor, a
 * store outage) left for the key, and its parts, each verified to hold exactly the bytes of the
 * local part. Keys are deterministic, so a redelivered request finds the upload its first delivery
 * started and sends only what is missing.
 *
 * <p>An upload of the key may also be another request's (same key, same second), running now on
 * another instance. S3 cannot say who created an upload, so one is adopted only when it stored at
 * least one part and every stored part holds this file's bytes; any other upload is left alone,
 * never resumed and never aborted here (the janitor removes it once no part arrives for {@code
 * janitor.max-age}). Adopting another instance's upload of the same bytes is harmless: whichever
 * completes it first stores the object, and the other finds the upload gone and decides again
 * ({@link KeyWriter}).
 */
record ResumableUpload(String uploadId, Map<Integer, CompletedPart> verifiedParts) {
  private static final Logger log = LoggerFactory.getLogger(ResumableUpload.class);

  private static final Comparator<MultipartUpload> NEWEST_FIRST =
      Comparator.comparing(
              MultipartUpload::initiated, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(MultipartUpload::uploadId)
          .reversed();

  ResumableUpload {
    Objects.requireNonNull(uploadId, "uploadId");
    verifiedParts = Map.copyOf(verifiedParts);
  }

  /**
   * The newest incomplete upload of exactly {@code upload}'s key whose stored parts all hold this
   * file's bytes with this {@code plan}. Empty: start a fresh upload.
   *
   * @throws StorageException when the store cannot be listed
   * @throws IOException reading the file to verify stored parts
   */
  static Optional<ResumableUpload> find(
      IncompleteUploads uploads, UploadContext upload, PartPlan plan) throws IOException {
    UploadSpec spec = upload.spec();
    List<MultipartUpload> sameKey =
        uploads.under(spec.bucket(), spec.key()).stream()
            .filter(u -> spec.key().equals(u.key()))
            .sorted(NEWEST_FIRST)
            .toList();
    for (MultipartUpload candidate : sameKey) {
      Optional<ResumableUpload> adopted = adopt(uploads, upload, plan, candidate);
      if (adopted.isPresent()) {
        return adopted;
      }
    }
    return Optional.empty();
  }

  private static Optional<ResumableUpload> adopt(
      IncompleteUploads uploads, UploadContext upload, PartPlan plan, MultipartUpload candidate)
      throws IOException {
    UploadSpec spec = upload.spec();
    Optional<String> misfit = checksumMisfit(candidate, upload.settings().checksumAlgorithm());
    List<Part> parts =
        misfit.isPresent()
            ? List.of()
            : uploads.parts(spec.bucket(), spec.key(), candidate.uploadId());
    misfit = misfit.or(() -> partsMisfit(parts, plan));
    Optional<Map<Integer, CompletedPart>> verified =
        misfit.isPresent() ? Optional.empty() : StoredParts.verify(upload, plan, parts);
    if (misfit.isEmpty() && verified.isEmpty()) {
      misfit = Optional.of("a stored part holds other bytes than this file");
    }
    if (misfit.isPresent()) {
      log.info(
          "leaving multipart upload {} of s3://{}/{} alone, it may be another request's: {}",
          candidate.uploadId(),
          spec.bucket(),
          spec.key(),
          misfit.get());
      return Optional.empty();
    }
    log.info(
        "resuming multipart upload {} of s3://{}/{}: {} of {} parts stored and verified",
        candidate.uploadId(),
        spec.bucket(),
        spec.key(),
        parts.size(),
        plan.partCount());
    return Optional.of(new ResumableUpload(candidate.uploadId(), verified.get()));
  }

  /** Why the stored parts cannot be this file's with this plan, if they cannot. */
  private static Optional<String> partsMisfit(List<Part> parts, PartPlan plan) {
    if (parts.isEmpty()) {
      return Optional.of("no part stored, so nothing shows whose it is");
    }
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
}
