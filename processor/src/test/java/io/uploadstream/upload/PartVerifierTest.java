package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;

class PartVerifierTest {
  private static final byte[] DATA = "123456789".getBytes(StandardCharsets.US_ASCII);
  private static final String MD5_HEX = "25f9e794323b453885f5181f1b624d0b";
  private static final String CRC32C = "4waSgw==";
  private static final String OTHER_MD5_HEX = "900150983cd24fb0d6963f7d28e17f72"; // of "abc"

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void verified_partWhoseEtagIsTheLocalMd5_isKeptWithItsEtag(ChecksumAlgorithm algorithm)
      throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(2, "\"" + MD5_HEX + "\"", null)));

    CompletedPart kept = verified(verifier, 2, algorithm).orElseThrow();

    assertThat(kept.partNumber()).isEqualTo(2);
    assertThat(kept.eTag()).isEqualTo("\"" + MD5_HEX + "\"");
    assertThat(kept.checksumCRC32C())
        .as("Complete lists the part checksums in CRC32C mode")
        .isEqualTo(algorithm == ChecksumAlgorithm.CRC32C ? CRC32C : null);
  }

  @Test
  void verified_partWithOtherMd5_isSentAgain() throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, OTHER_MD5_HEX, null)));

    assertThat(verified(verifier, 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  /** SSE-KMS: the ETag is not the MD5, and a matching CRC32C (32 bits) is no proof of content. */
  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void verified_nonMd5EtagButMatchingCrc32c_isSentAgain(ChecksumAlgorithm algorithm)
      throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, "kms-encrypted-etag", CRC32C)));

    assertThat(verified(verifier, 1, algorithm)).isEmpty();
  }

  @Test
  void verified_nonMd5EtagAndOtherCrc32c_isSentAgain() throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, "kms-encrypted-etag", "AAAAAA==")));

    assertThat(verified(verifier, 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  /**
   * A SHA-256 would be full-strength, but the local part's SHA-256 is never computed (the parts of
   * our uploads never carry one): unverifiable, so sent again.
   */
  @Test
  void verified_nonMd5EtagWithSha256Listed_isSentAgain() throws Exception {
    Part kms =
        Part.builder()
            .partNumber(1)
            .size((long) DATA.length)
            .eTag("kms-encrypted-etag")
            .checksumSHA256("FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=") // of DATA
            .build();

    assertThat(verified(PartVerifier.of(List.of(kms)), 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  @Test
  void verified_md5MatchesButListedCrc32cDiffers_isSentAgain() throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, MD5_HEX, "AAAAAA==")));

    assertThat(verified(verifier, 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  @Test
  void verified_partThatCannotBeVerified_isSentAgain() throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, "not-an-md5", null)));

    assertThat(verified(verifier, 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  @Test
  void verified_partOfOtherSize_isSentAgain() throws Exception {
    Part longer = Part.builder().partNumber(1).size(10L).eTag(MD5_HEX).build();

    assertThat(verified(PartVerifier.of(List.of(longer)), 1, ChecksumAlgorithm.CRC32C)).isEmpty();
  }

  @Test
  void verified_missingPart_isSent() throws Exception {
    PartVerifier verifier = PartVerifier.of(List.of(part(1, MD5_HEX, null)));

    assertThat(verified(verifier, 2, ChecksumAlgorithm.CRC32C)).isEmpty();
    assertThat(verified(PartVerifier.NONE, 1, ChecksumAlgorithm.MD5)).isEmpty();
  }

  private static Part part(int number, String etag, String crc32c) {
    return Part.builder()
        .partNumber(number)
        .size((long) DATA.length)
        .eTag(etag)
        .checksumCRC32C(crc32c)
        .build();
  }

  private static Optional<CompletedPart> verified(
      PartVerifier verifier, int partNumber, ChecksumAlgorithm algorithm) throws IOException {
    return verifier.verified(
        partNumber, DATA.length, checksum(algorithm), PartVerifierTest::digest);
  }

  private static byte[] digest(ChecksumAlgorithm algorithm) {
    return Digest.of(algorithm, DATA, DATA.length);
  }

  private static PartChecksum checksum(ChecksumAlgorithm algorithm) {
    return PartChecksum.of(algorithm, DATA, DATA.length);
  }
}
