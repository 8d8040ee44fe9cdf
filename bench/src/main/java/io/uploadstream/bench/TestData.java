package io.uploadstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The files the cases upload: random bytes (incompressible, no two blocks alike), written once per
 * run so the page cache holds them warm. A file of the right size already there is reused.
 */
final class TestData {
  private static final int BLOCK_BYTES = 1024 * 1024;

  private final Path dir;

  TestData(Path dir) {
    this.dir = dir;
    Stack.createDirectories(dir);
  }

  Path dir() {
    return dir;
  }

  Path file(String name, long sizeBytes) {
    Path file = dir.resolve(name);
    try {
      if (Files.isRegularFile(file) && Files.size(file) == sizeBytes) {
        return file;
      }
      write(file, sizeBytes, name.hashCode());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** {@code count} files of {@code sizeBytes} named {@code prefix-00000.bin}... */
  List<Path> files(String prefix, int count, long sizeBytes) {
    List<Path> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      files.add(file(String.format("%s-%05d.bin", prefix, i), sizeBytes));
    }
    return files;
  }

  private static void write(Path file, long sizeBytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_BYTES);
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long left = sizeBytes;
      while (left > 0) {
        block.clear();
        while (block.remaining() >= Long.BYTES) {
          block.putLong(random.nextLong());
        }
        block.flip();
        block.limit((int) Math.min(BLOCK_BYTES, left));
        while (block.hasRemaining()) {
          left -= channel.write(block);
        }
      }
    }
  }
}
