package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vectors computed independently (Python hashlib and a bitwise CRC32C), and two reported by S3Proxy
 * for a real three-part upload of identical 5 MiB parts.
 */
class ObjectChecksumsTest {
  private static final List<String> PARTS =
      List.of("123456789", "abc", "The quick brown fox jumps over the lazy dog");

  @Test
  void multipartEtag_isMd5OfConcatenatedPartMd5sWithPartCount() {
    List<byte[]> md5s =
        PARTS.stream().map(p -> Digest.of(ChecksumAlgorithm.MD5, bytes(p), p.length())).toList();

    assertThat(ObjectChecksums.hex(md5s.get(0))).isEqualTo("25f9e794323b453885f5181f1b624d0b");
    assertThat(ObjectChecksums.multipartEtag(md5s)).isEqualTo("e8233e7cc5d0d072b73fd10f74cecb8a-3");
  }

  @Test
  void multipartEtag_ofOnePart_isNotThePartsMd5() {
    byte[] md5 = Digest.of(ChecksumAlgorithm.MD5, bytes("123456789"), 9);

    assertThat(ObjectChecksums.multipartEtag(List.of(md5)))
        .isEqualTo("5927c5d64d94a5786f90003aa26d0159-1");
  }

  @Test
  void compositeCrc32c_isCrc32cOfConcatenatedPartCrc32csWithPartCount() {
    List<byte[]> crcs =
        PARTS.stream().map(p -> Digest.of(ChecksumAlgorithm.CRC32C, bytes(p), p.length())).toList();

    assertThat(crcs)
        .extracting(ObjectChecksums::base64)
        .containsExactly("4waSgw==", "Nks/tw==", "ImIEBA==");
    assertThat(ObjectChecksums.compositeCrc32c(crcs)).isEqualTo("jgz5wA==-3");
  }

  @Test
  void bothMatchWhatS3ProxyReportedForAThreePartUpload() {
    byte[] partMd5 = HexFormat.of().parseHex("f4ce2eef33b39bc0bca206386365d4e6");
    byte[] partCrc32c = Base64.getDecoder().decode("SynupA==");

    assertThat(ObjectChecksums.multipartEtag(List.of(partMd5, partMd5, partMd5)))
        .isEqualTo("3f0994ee1ffa0fd790a2f1ac8c9aa950-3");
    assertThat(ObjectChecksums.compositeCrc32c(List.of(partCrc32c, partCrc32c, partCrc32c)))
        .isEqualTo("FYpRmA==-3");
  }

  @ParameterizedTest(name = "\"{0}\" is a plain MD5: {1}")
  @CsvSource({
    "25f9e794323b453885f5181f1b624d0b, true",
    "25F9E794323B453885F5181F1B624D0B, true",
    "e8233e7cc5d0d072b73fd10f74cecb8a-3, false",
    "25f9e794323b453885f5181f1b624d0, false",
    "'', false",
    "zzf9e794323b453885f5181f1b624d0b, false"
  })
  void isPlainMd5_acceptsOnly32HexDigits(String etag, boolean plain) {
    assertThat(ObjectChecksums.isPlainMd5(etag)).isEqualTo(plain);
  }

  @ParameterizedTest(name = "part count of \"{0}\" = {1}")
  @CsvSource({
    "e8233e7cc5d0d072b73fd10f74cecb8a-3, 3",
    "jgz5wA==-10000, 10000",
    "25f9e794323b453885f5181f1b624d0b, 0",
    "4waSgw==, 0",
    "-3, 0",
    "'', 0"
  })
  void partCount_readsTheSuffix(String value, int count) {
    assertThat(ObjectChecksums.partCount(value)).isEqualTo(count);
  }

  @Test
  void unquoted_dropsTheQuotesS3PutsAroundETags() {
    assertThat(ObjectChecksums.unquoted("\"abc-2\"")).isEqualTo("abc-2");
    assertThat(ObjectChecksums.unquoted(null)).isNull();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
