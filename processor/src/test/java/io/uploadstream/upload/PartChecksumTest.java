package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

class PartChecksumTest {

  @ParameterizedTest(name = "CRC32C of \"{0}\" = {1}")
  @CsvSource({
    "'', AAAAAA==", // 0x00000000
    "123456789, 4waSgw==", // 0xE3069283, the CRC-32C check value
  })
  void crc32c_matchesKnownVectors(String text, String base64) {
    byte[] data = text.getBytes(StandardCharsets.US_ASCII);

    assertThat(PartChecksum.crc32c(data, data.length)).isEqualTo(base64);
  }

  @Test
  void crc32c_matchesRfc3720Vectors() {
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);

    assertThat(PartChecksum.crc32c(zeros, 32)).isEqualTo("ipE2qg=="); // 0x8A9136AA
    assertThat(PartChecksum.crc32c(ones, 32)).isEqualTo("YqirQw=="); // 0x62A8AB43
  }

  @ParameterizedTest(name = "MD5 of \"{0}\" = {1}")
  @CsvSource({"'', 1B2M2Y8AsgTpgAmY7PhCfg==", "123456789, JfnnlDI7RTiF9RgfG2JNCw=="})
  void md5_matchesKnownVectors(String text, String base64) {
    byte[] data = text.getBytes(StandardCharsets.US_ASCII);

    assertThat(PartChecksum.md5(data, data.length)).isEqualTo(base64);
  }

  @Test
  void of_readsOnlyTheFirstLengthBytesOfAPooledBuffer() {
    byte[] buffer = Arrays.copyOf("123456789".getBytes(StandardCharsets.US_ASCII), 64);
    Arrays.fill(buffer, 9, 64, (byte) 7); // what an earlier, larger part left behind

    assertThat(PartChecksum.of(ChecksumAlgorithm.CRC32C, buffer, 9).base64()).isEqualTo("4waSgw==");
    assertThat(PartChecksum.of(ChecksumAlgorithm.MD5, buffer, 9).base64())
        .isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
  }

  @Test
  void applyTo_setsTheHeaderFieldOfItsAlgorithmOnly() {
    UploadPartRequest crc =
        new PartChecksum(ChecksumAlgorithm.CRC32C, "4waSgw==")
            .applyTo(UploadPartRequest.builder())
            .build();
    UploadPartRequest md5 =
        new PartChecksum(ChecksumAlgorithm.MD5, "JfnnlDI7RTiF9RgfG2JNCw==")
            .applyTo(UploadPartRequest.builder())
            .build();

    assertThat(crc.checksumCRC32C()).isEqualTo("4waSgw==");
    assertThat(crc.contentMD5()).isNull();
    assertThat(md5.contentMD5()).isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
    assertThat(md5.checksumCRC32C()).isNull();
  }

  @Test
  void completedPart_carriesCrc32cForComplete() {
    CompletedPart part =
        new PartChecksum(ChecksumAlgorithm.CRC32C, "4waSgw==").completedPart(3, "\"etag\"");

    assertThat(part.partNumber()).isEqualTo(3);
    assertThat(part.eTag()).isEqualTo("\"etag\"");
    assertThat(part.checksumCRC32C()).isEqualTo("4waSgw==");
  }
}
