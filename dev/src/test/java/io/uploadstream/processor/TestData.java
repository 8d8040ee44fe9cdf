package io.uploadstream.processor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Files of seeded random content (so a failed comparison is reproducible). */
final class TestData {
  private TestData() {}

  static Path randomFile(Path file, long size) throws IOException {
    byte[] chunk = new byte[(int) Math.min(Math.max(size, 1), 1 << 20)];
    Random random = new Random(file.getFileName().toString().hashCode());
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        random.nextBytes(chunk);
        int n = (int) Math.min(left, chunk.length);
        out.write(chunk, 0, n);
        left -= n;
      }
    }
    return file;
  }
}
