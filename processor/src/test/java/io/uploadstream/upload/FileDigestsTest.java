package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
  @TempDir Path dir;

  @Test
  void ofParts_digestsEachPartOfThePlan() throws Exception {
    Path path = TestFiles.random(dir, "parts.bin", 12 * MIB + 3, 1);
    byte[] content = Files.readAllBytes(path);
    PartPlan plan = PartPlan.of(content.length, 5 * MIB);

    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      List<byte[]> crcs =
          new FileDigests(file, pool(5 * MIB)).ofParts(plan, ChecksumAlgorithm.CRC32C);

      assertThat(crcs).hasSize(3);
      for (int part = 1; part <= 3; part++) {
        byte[] bytes = range(content, plan.offset(part), (int) plan.length(part));
        assertThat(crcs.get(part - 1))
            .isEqualTo(Digest.of(ChecksumAlgorithm.CRC32C, bytes, bytes.length));
      }
    }
  }

  @Test
  void ofParts_partsLargerThanThePooledBuffer_areDigestedInPieces() throws Exception {
    Path path = TestFiles.random(dir, "grown.bin", 11 * MIB, 2);
    byte[] content = Files.readAllBytes(path);
    PartPlan plan = PartPlan.of(content.length, 10 * MIB);

    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      List<byte[]> md5s = new FileDigests(file, pool(MIB)).ofParts(plan, ChecksumAlgorithm.MD5);

      assertThat(md5s.get(0))
          .isEqualTo(
              Digest.of(ChecksumAlgorithm.MD5, range(content, 0, 10 * (int) MIB), 10 * (int) MIB));
      assertThat(md5s.get(1))
          .isEqualTo(
              Digest.of(ChecksumAlgorithm.MD5, range(content, 10 * MIB, (int) MIB), (int) MIB));
    }
  }

  @Test
  void ofWhole_digestsTheWholeFile() throws Exception {
    Path path = TestFiles.random(dir, "whole.bin", 3 * MIB + 1, 3);
    byte[] content = Files.readAllBytes(path);
    PartBuffers buffers = pool(MIB);

    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      assertThat(new FileDigests(file, buffers).ofWhole(ChecksumAlgorithm.MD5))
          .isEqualTo(Digest.of(ChecksumAlgorithm.MD5, content, content.length));
    }
    assertThat(buffers.idleCount()).as("the buffer went back to the pool").isEqualTo(1);
  }

  private static PartBuffers pool(long bufferSizeBytes) {
    return new PartBuffers((int) bufferSizeBytes, 1);
  }

  private static byte[] range(byte[] content, long offset, int length) {
    return Arrays.copyOfRange(content, (int) offset, (int) offset + length);
  }
}
