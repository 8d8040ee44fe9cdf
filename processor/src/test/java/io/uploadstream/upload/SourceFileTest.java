package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFileTest {
  @TempDir Path dir;

  @Test
  void reopen_afterAnInterruptedReadClosedTheChannel_readsAgain() throws Exception {
    Path path = TestFiles.random(dir, "file.bin", 1024, 1);
    byte[] expected = Files.readAllBytes(path);
    byte[] buffer = new byte[1024];
    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      Thread.currentThread().interrupt();
      assertThatThrownBy(() -> file.read(buffer, 0, 1024))
          .isInstanceOf(ClosedByInterruptException.class);
      assertThat(Thread.interrupted()).isTrue();
      assertThatThrownBy(() -> file.read(buffer, 0, 1024))
          .isInstanceOf(ClosedChannelException.class);

      try (SourceFile again = file.reopen()) {
        again.read(buffer, 0, 1024);
      }
    }
    assertThat(buffer).isEqualTo(expected);
  }

  @Test
  void reopen_fileChangedSinceItWasFirstOpened_throwsFileChanged() throws Exception {
    Path path = TestFiles.random(dir, "grows.bin", 1024, 2);
    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      Files.write(path, new byte[] {1}, StandardOpenOption.APPEND);

      assertThatThrownBy(file::reopen)
          .isInstanceOf(FileChangedException.class)
          .hasMessageContaining("size 1024 became 1025");
    }
  }

  @Test
  void openAndReopen_bothGoThroughTheOpener() throws Exception {
    Path path = TestFiles.random(dir, "opened.bin", 1024, 3);
    List<Path> opened = new CopyOnWriteArrayList<>();
    FileOpener counting =
        file -> {
          opened.add(file);
          return FileOpener.PLAIN.open(file);
        };

    try (SourceFile file = SourceFile.open(path, counting);
        SourceFile again = file.reopen()) {
      assertThat(again.sizeBytes()).isEqualTo(1024);
    }

    assertThat(opened).containsExactly(path, path);
  }

  @Test
  void reopen_openerRefusesNow_throwsPathNotAllowed() throws Exception {
    Path path = TestFiles.random(dir, "swapped.bin", 1024, 4);
    AtomicBoolean allowed = new AtomicBoolean(true);
    FileOpener guarded =
        file -> {
          if (!allowed.get()) {
            throw new PathNotAllowedException(file.toString(), "outside the allowed roots");
          }
          return FileOpener.PLAIN.open(file);
        };

    try (SourceFile file = SourceFile.open(path, guarded)) {
      allowed.set(false); // e.g. a directory of the path was swapped for a symlink meanwhile

      assertThatThrownBy(file::reopen)
          .isInstanceOf(PathNotAllowedException.class)
          .hasMessageContaining("outside the allowed roots");
    }
  }

  @Test
  void verifyUnchanged_theOpenFileChangedWhileItsPathNamesAnUnchangedOne_throwsFileChanged()
      throws Exception {
    Path path = TestFiles.random(dir, "moved.bin", 1024, 5);
    FileTime original = Files.getLastModifiedTime(path);
    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      Path moved = Files.move(path, dir.resolve("elsewhere.bin"));
      Files.setLastModifiedTime(moved, FileTime.from(original.toInstant().minusSeconds(60)));
      TestFiles.random(dir, "moved.bin", 1024, 6); // the path now names another, "unchanged" file
      Files.setLastModifiedTime(path, original);

      assertThatThrownBy(file::verifyUnchanged)
          .isInstanceOf(FileChangedException.class)
          .hasMessageContaining("modification time");
    }
  }

  @Test
  void verifyUnchanged_onlyThePathWasReplaced_theOpenFileIsWhatCounts() throws Exception {
    Path path = TestFiles.random(dir, "replaced.bin", 1024, 7);
    byte[] expected = Files.readAllBytes(path);
    try (SourceFile file = SourceFile.open(path, FileOpener.PLAIN)) {
      Path other = TestFiles.random(dir, "other.bin", 1024, 8);
      Files.setLastModifiedTime(other, FileTime.fromMillis(0));
      Files.move(other, path, StandardCopyOption.REPLACE_EXISTING);

      file.verifyUnchanged(); // every byte read comes from the open file, which did not change
      byte[] buffer = new byte[1024];
      file.read(buffer, 0, 1024);
      assertThat(buffer).isEqualTo(expected);
    }
  }
}
