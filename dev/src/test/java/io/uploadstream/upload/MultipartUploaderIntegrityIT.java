package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy.Request;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * What protects the stored bytes: checksum headers the store verifies, and a file that must not
 * change while it uploads.
 */
class MultipartUploaderIntegrityIT extends ProxiedStoreFixture {

  @ParameterizedTest(name = "{0}, flexibleChecksums={1}, unsignedPayload={2}")
  @CsvSource({
    "CRC32C, true, false",
    "CRC32C, false, false",
    "MD5, false, false",
    "CRC32C, true, true",
    "MD5, false, true"
  })
  void upload_sendsItsChecksumAsHeaderWithoutSdkChecksumsOrTrailers(
      ChecksumAlgorithm algorithm, boolean flexibleChecksums, boolean unsignedPayload)
      throws Exception {
    Path large = TestFiles.random(dir, "headers.bin", 9 * MIB, 20);
    Path small = TestFiles.random(dir, "headers.txt", 10, 21);
    S3ConnectionSettings connection =
        throughProxy()
            .withFlexibleChecksums(flexibleChecksums)
            .withUnsignedPayload(unsignedPayload);
    MultipartUploader uploader =
        uploader(
            client(S3Clients.builder(connection)),
            new UploaderSettings(8 * MIB, 4, algorithm, FAST_RETRY));

    succeeded(uploader.upload(spec(large, "h/headers.bin")));
    succeeded(uploader.upload(spec(small, "h/headers.txt")));

    String ours = algorithm == ChecksumAlgorithm.CRC32C ? "x-amz-checksum-crc32c" : "content-md5";
    String payloadHash =
        unsignedPayload ? "UNSIGNED-PAYLOAD" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    List<Request> bodies =
        proxy.requests().stream()
            .filter(r -> r.method().equals("PUT") && r.path().contains("/h/headers."))
            .toList();
    assertThat(bodies).hasSize(3);
    assertThat(bodies)
        .allSatisfy(
            r -> {
              assertThat(r.headers())
                  .containsKey(ours)
                  .containsEntry("x-amz-content-sha256", payloadHash)
                  .doesNotContainKeys("x-amz-trailer", "x-amz-sdk-checksum-algorithm");
              assertThat(r.headers().keySet())
                  .filteredOn(h -> h.startsWith("x-amz-checksum-") || h.equals("content-md5"))
                  .containsExactly(ours);
            });
    assertStoredBytes("h/headers.bin", large);
    assertStoredBytes("h/headers.txt", small);
  }

  @ParameterizedTest(name = "{0}, unsignedPayload={1}")
  @CsvSource({"CRC32C, false", "MD5, false", "CRC32C, true", "MD5, true"})
  void upload_partWithWrongChecksumHeader_isRejectedByStoreAndNotRetried(
      ChecksumAlgorithm algorithm, boolean unsignedPayload) throws Exception {
    if (algorithm == ChecksumAlgorithm.MD5) {
      assumeStoreHasNo(StoreGap.PART_CONTENT_MD5_NOT_VERIFIED);
    }
    Path file = TestFiles.random(dir, "corrupt.bin", 20 * MIB, 16);
    S3ClientBuilder builder =
        S3Clients.builder(
            throughProxy().withFlexibleChecksums(false).withUnsignedPayload(unsignedPayload));
    builder.overrideConfiguration(
        builder.overrideConfiguration().toBuilder()
            .addExecutionInterceptor(new CorruptChecksumOfPart(2))
            .build());
    UploaderSettings settings = new UploaderSettings(8 * MIB, 4, algorithm, FAST_RETRY);

    UploadFailed failed =
        failed(uploader(client(builder), settings).upload(spec(file, "c/corrupt.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message())
        .contains("part 2")
        .containsPattern(
            gaps.contains(StoreGap.CHECKSUM_MISMATCH_IS_BAD_REQUEST)
                ? "BadRequest"
                : "BadDigest|InvalidDigest");
    assertThat(partAttempts(2)).isEqualTo(1);
    assertNothingLeft("c/corrupt.bin");
  }

  @Test
  void upload_fileGrowsDuringUpload_failsWithFileChangedAndLeavesNoUpload() throws Exception {
    Path file = TestFiles.random(dir, "grows.bin", 20 * MIB, 17);
    AtomicBoolean appended = new AtomicBoolean();
    listener =
        new RecordingListener() {
          @Override
          public void partUploaded(UploadSpec s, int part, long size, long done, long total) {
            if (appended.compareAndSet(false, true)) {
              write(file, StandardOpenOption.APPEND);
            }
          }
        };

    UploadFailed failed = failed(uploader(SETTINGS).upload(spec(file, "c/grows.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.FILE_CHANGED);
    assertThat(failed.message()).contains("size");
    assertNothingLeft("c/grows.bin");
  }

  @Test
  void upload_fileTruncatedDuringUpload_failsWithFileChangedOnShortRead() throws Exception {
    Path file = TestFiles.random(dir, "shrinks.bin", 20 * MIB, 18);
    listener =
        new RecordingListener() {
          @Override
          public void partUploaded(UploadSpec s, int part, long size, long done, long total) {
            truncate(file, MIB);
          }
        };
    UploaderSettings onePartAtATime =
        new UploaderSettings(8 * MIB, 1, ChecksumAlgorithm.CRC32C, FAST_RETRY);

    UploadFailed failed = failed(uploader(onePartAtATime).upload(spec(file, "c/shrinks.bin")));

    assertThat(failed.code()).isEqualTo(ErrorCode.FILE_CHANGED);
    assertThat(failed.message()).contains("ended at byte");
    assertNothingLeft("c/shrinks.bin");
  }

  private static void write(Path file, StandardOpenOption option) {
    try {
      Files.write(file, new byte[] {42}, option);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void truncate(Path file, long sizeBytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(sizeBytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Replaces one part's checksum header with a wrong value before the request is signed. */
  private static final class CorruptChecksumOfPart implements ExecutionInterceptor {
    private static final String WRONG_CRC32C = "AAAAAA==";
    private static final String WRONG_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg=="; // MD5 of no bytes
    private final String partNumber;

    CorruptChecksumOfPart(int partNumber) {
      this.partNumber = Integer.toString(partNumber);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest request = context.httpRequest();
      boolean isPart =
          request
              .firstMatchingRawQueryParameter("partNumber")
              .filter(partNumber::equals)
              .isPresent();
      if (!isPart) {
        return request;
      }
      SdkHttpRequest.Builder corrupted = request.toBuilder();
      request
          .firstMatchingHeader("x-amz-checksum-crc32c")
          .ifPresent(v -> corrupted.putHeader("x-amz-checksum-crc32c", WRONG_CRC32C));
      request
          .firstMatchingHeader("Content-MD5")
          .ifPresent(v -> corrupted.putHeader("Content-MD5", WRONG_MD5));
      return corrupted.build();
    }
  }
}
