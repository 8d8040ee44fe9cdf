package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenFileStatusTest {
  @TempDir Path dir;

  @Test
  void status_isTheOpenFiles_evenAfterItsPathNamesAnotherFile() throws Exception {
    Path path = TestFiles.random(dir, "a.bin", 1000, 1);
    Map<String, Object> before = Files.readAttributes(path, "unix:*");
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      Path other = TestFiles.random(dir, "b.bin", 2000, 2);
      Files.move(other, path, StandardCopyOption.REPLACE_EXISTING); // our file has no name now

      FileStatus status = OpenFileStatus.of(channel).orElseThrow();

      assertThat(status.fileKey()).isEqualTo(before.get("fileKey"));
      assertThat(status.sizeBytes()).isEqualTo(1000);
      assertThat(status.lastModified()).isEqualTo((FileTime) before.get("lastModifiedTime"));
      assertThat(status.regularFile()).isTrue();
      assertThat(status.linkCount()).as("unlinked by the rename over it").isZero();
    }
  }

  @Test
  void status_countsHardLinks() throws Exception {
    Path path = TestFiles.random(dir, "linked.bin", 10, 3);
    Files.createLink(dir.resolve("second-name.bin"), path);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      assertThat(OpenFileStatus.of(channel).orElseThrow().linkCount()).isEqualTo(2);
    }
  }

  @Test
  void status_ofAClosedChannel_throws() throws Exception {
    Path path = TestFiles.random(dir, "closed.bin", 10, 4);
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    channel.close();

    assertThatThrownBy(() -> OpenFileStatus.of(channel)).isInstanceOf(ClosedChannelException.class);
  }
}
