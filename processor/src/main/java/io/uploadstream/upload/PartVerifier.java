package io.uploadstream.upload;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * The parts an earlier attempt stored in the upload being resumed, and whether each one holds
 * exactly the bytes of the local part. A stored part is kept only when its ETag is a plain hex MD5
 * equal to the local part's MD5 (S3, MinIO and S3Proxy use the MD5 as a part's ETag outside SSE-KMS
 * and SSE-C) and its CRC32C, when the store lists one, equals the local part's too.
 *
 * <p>Where the ETag is not an MD5 (SSE-KMS, SSE-C) only a full-strength checksum listed for the
 * part could stand in for it: a SHA-256. A CRC32C cannot: 32 bits detect accidental corruption but
 * do not identify content (another file's part of the same size matches one time in 2^32, and
 * matching CRCs can be made on purpose). The parts of this processor's uploads carry CRC32C or MD5
 * ({@code upload.checksum}), never a SHA-256, so such a part is always sent again. Thread-safe:
 * immutable.
 */
final class PartVerifier {
  static final PartVerifier NONE = new PartVerifier(Map.of());

  private final Map<Integer, Part> stored;

  private PartVerifier(Map<Integer, Part> stored) {
    this.stored = stored;
  }

  /** Verifies against these listed parts (whose sizes the caller checked against the plan). */
  static PartVerifier of(List<Part> listed) {
    return new PartVerifier(
        listed.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Part::partNumber, Function.identity(), (first, again) -> again)));
  }

  int storedCount() {
    return stored.size();
  }

  /**
   * The local part's digest in an algorithm, computed on demand (a streamed part is read again).
   */
  @FunctionalInterface
  interface LocalDigest {
    byte[] of(ChecksumAlgorithm algorithm) throws IOException;
  }

  /**
   * The stored part as Complete lists it, when it holds exactly the local part of {@code
   * lengthBytes} whose header checksum is {@code checksum}; empty when the part is missing, differs
   * or cannot be verified and must be sent.
   */
  Optional<CompletedPart> verified(
      int partNumber, long lengthBytes, PartChecksum checksum, LocalDigest local)
      throws IOException {
    Part part = stored.get(partNumber);
    if (part == null || part.size() == null || part.size() != lengthBytes) {
      return Optional.empty();
    }
    return matches(part, checksum, local)
        ? Optional.of(checksum.completedPart(partNumber, part.eTag()))
        : Optional.empty();
  }

  private static boolean matches(Part part, PartChecksum checksum, LocalDigest local)
      throws IOException {
    String etag = ObjectChecksums.unquoted(part.eTag());
    if (!ObjectChecksums.isPlainMd5(etag)) {
      return false; // no MD5, and no full-strength checksum listed: send it again
    }
    if (!etag.equalsIgnoreCase(md5Hex(checksum, local))) {
      return false;
    }
    return part.checksumCRC32C() == null || part.checksumCRC32C().equals(crc32c(checksum, local));
  }

  /** The local part's MD5, reusing the checksum already computed for the header in MD5 mode. */
  private static String md5Hex(PartChecksum checksum, LocalDigest local) throws IOException {
    byte[] md5 =
        checksum.algorithm() == ChecksumAlgorithm.MD5
            ? Base64.getDecoder().decode(checksum.base64())
            : local.of(ChecksumAlgorithm.MD5);
    return ObjectChecksums.hex(md5);
  }

  private static String crc32c(PartChecksum checksum, LocalDigest local) throws IOException {
    return checksum.algorithm() == ChecksumAlgorithm.CRC32C
        ? checksum.base64()
        : ObjectChecksums.base64(local.of(ChecksumAlgorithm.CRC32C));
  }
}
