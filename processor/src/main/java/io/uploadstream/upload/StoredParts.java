package io.uploadstream.upload;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Whether every part an incomplete upload stored holds exactly the local file's bytes, judged part
 * by part by {@link PartVerifier}. S3 cannot say which request created an incomplete upload
 * (listings carry no metadata), so this is what makes an upload adoptable: one that stored a part
 * of any other file is another request's, and a part this one sent into it would corrupt it.
 *
 * <p>Parts are read one at a time on the caller's thread, through one buffer from the pool (the
 * upload's parts are not running yet, so memory stays within its bound); the first part that does
 * not match ends the check.
 */
final class StoredParts {
  private StoredParts() {}

  /**
   * The parts as Complete lists them, by part number, when every one of {@code parts} (whose
   * numbers and sizes the caller checked against {@code plan}) matches the file; empty otherwise.
   */
  static Optional<Map<Integer, CompletedPart>> verify(
      UploadContext upload, PartPlan plan, List<Part> parts) throws IOException {
    PartVerifier verifier = PartVerifier.of(parts);
    ChecksumAlgorithm algorithm = upload.settings().checksumAlgorithm();
    Map<Integer, CompletedPart> verified = new HashMap<>();
    for (Part part : parts) {
      int number = part.partNumber();
      try (PartContent content =
          PartContent.read(upload, plan.offset(number), plan.length(number))) {
        Optional<CompletedPart> kept =
            verifier.verified(
                number, content.lengthBytes(), content.checksum(algorithm), content::digest);
        if (kept.isEmpty()) {
          return Optional.empty();
        }
        verified.put(number, kept.get());
      }
    }
    return Optional.of(Map.copyOf(verified));
  }
}
