package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Random test files and byte-for-byte comparison with what the store returns. */
final class TestFiles {
  static final long MIB = UploaderSettings.MIB;
  private static final int CHUNK = 1024 * 1024;

  private TestFiles() {}

  /** A file of {@code sizeBytes} random bytes (seeded, so a failure can be reproduced). */
  static Path random(Path dir, String name, long sizeBytes, long seed) throws IOException {
    Path file = dir.resolve(name);
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[CHUNK];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = sizeBytes; left > 0; left -= CHUNK) {
        for (int i = 0; i < chunk.length; i += 8) {
          long value = random.nextLong();
          for (int j = 0; j < 8; j++) {
            chunk[i + j] = (byte) (value >>> (8 * j));
          }
        }
        out.write(chunk, 0, (int) Math.min(CHUNK, left));
      }
    }
    return file;
  }

  /** Asserts {@code actual} holds exactly the bytes of {@code expected}, streaming both. */
  static void assertSameBytes(InputStream actual, Path expected) throws IOException {
    try (InputStream stored = actual;
        InputStream local = Files.newInputStream(expected)) {
      byte[] a = new byte[CHUNK];
      byte[] b = new byte[CHUNK];
      long offset = 0;
      while (true) {
        int readA = stored.readNBytes(a, 0, CHUNK);
        int readB = local.readNBytes(b, 0, CHUNK);
        int mismatch = Arrays.mismatch(a, 0, readA, b, 0, readB);
        assertThat(mismatch).as("first differing byte at offset %d + index", offset).isEqualTo(-1);
        if (readA < CHUNK) {
          return;
        }
        offset += readA;
      }
    }
  }
}
