package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files over 10,000 × the part size get larger parts, up to 525 MiB for 5 TiB; buffering those
 * would take partsInFlight × 525 MiB per upload. Here the uploader plans at most 4 parts, so a 30
 * MiB file at a 5 MiB part size gets 8 MiB parts, as a huge file would get huge ones: they must be
 * streamed from the file, with no buffer over the configured part size, and still arrive intact.
 */
class MultipartUploaderGrownPartsIT extends ProxiedStoreFixture {
  private static final int MAX_PARTS = 4;
  private static final long PART_SIZE = 5 * MIB;
  private static final long FILE_SIZE = 30 * MIB + 123; // 4 parts: 8, 8, 8 and 6 MiB + 123 bytes

  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void upload_partsGrownBeyondThePartSize_areStreamedNeverBuffered(ChecksumAlgorithm algorithm)
      throws Exception {
    Path file = TestFiles.random(dir, "grown.bin", FILE_SIZE, 40);
    MultipartUploader uploader = uploader(algorithm);

    UploadSucceeded result = succeeded(uploader.upload(spec(file, "g/grown.bin")));

    assertThat(result.partCount()).isEqualTo(4);
    assertThat(StoreRequests.uploadedPartNumbers(proxy.requests()))
        .containsExactlyInAnyOrder(1, 2, 3, 4);
    PartBuffers buffers = uploader.partBuffers();
    assertThat(buffers.largestAllocatedBytes())
        .as("no buffer beyond the configured part size, whatever the part size")
        .isPositive()
        .isLessThanOrEqualTo((int) PART_SIZE);
    assertThat(buffers.allocations()).isLessThanOrEqualTo(SETTINGS.partsInFlight());
    assertThat(listener.bytesDone).contains(FILE_SIZE);
    assertStoredBytes("g/grown.bin", file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @Test
  void upload_grownPartResetMidBody_isStreamedAgainFromItsStart() throws Exception {
    Path file = TestFiles.random(dir, "reset.bin", FILE_SIZE, 41);
    proxy.rule(failAttempts(2, Action.resetAfter(3 * MIB)));

    succeeded(uploader(ChecksumAlgorithm.CRC32C).upload(spec(file, "g/reset.bin")));

    assertThat(listener.retries).extracting(RecordingListener.Retry::partNumber).containsExactly(2);
    assertThat(partAttempts(2)).isEqualTo(2);
    assertStoredBytes("g/reset.bin", file);
  }

  /**
   * A streamed part is read twice: once for its checksum, once to send it. Bytes changed in between
   * are refused by the store (they do not match the checksum header), and the upload says why.
   */
  @ParameterizedTest
  @EnumSource(ChecksumAlgorithm.class)
  void upload_fileChangesBetweenAPartsChecksumAndItsBody_failsFileChangedAndLeavesNothing(
      ChecksumAlgorithm algorithm) throws Exception {
    Path file = TestFiles.random(dir, "changing.bin", FILE_SIZE, 42);
    AtomicBoolean changed = new AtomicBoolean();
    listener =
        new RecordingListener() {
          @Override
          public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
            if (partNumber == 2 && changed.compareAndSet(false, true)) {
              overwriteOneByte(file, 9 * MIB); // inside part 2, same size
            }
            super.partStarted(spec, partNumber, sizeBytes);
          }
        };

    UploadFailed failed = failed(uploader(algorithm).upload(spec(file, "g/changing.bin")));

    assertThat(changed).isTrue();
    assertThat(listener.uploaded).as("the store refused the changed part").doesNotContain(2);
    assertThat(failed.code()).isEqualTo(ErrorCode.FILE_CHANGED);
    assertNothingLeft("g/changing.bin");
  }

  private MultipartUploader uploader(ChecksumAlgorithm algorithm) {
    UploaderSettings settings =
        new UploaderSettings(PART_SIZE, SETTINGS.partsInFlight(), algorithm, FAST_RETRY);
    return uploader(
        client(
            S3Clients.builder(
                throughProxy().withFlexibleChecksums(algorithm == ChecksumAlgorithm.CRC32C))),
        settings,
        MAX_PARTS);
  }

  private static void overwriteOneByte(Path file, long position) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int old = raf.read();
      raf.seek(position);
      raf.write(old ^ 0xff);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
