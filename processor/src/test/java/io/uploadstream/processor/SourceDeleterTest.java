package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.processor.PathGuard.AllowedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delete after the commit: only the very file that was uploaded (the identity, size and time
 * the check saw, which every open of the upload was verified against), only reached from its root
 * without following a symlink. Everything else keeps the file.
 */
class SourceDeleterTest {
  @TempDir Path tmp;
  private Path root;
  private Path outside;
  private Path file;
  private AllowedFile uploaded;
  private final Map<String, SourceOutcome> reported = new ConcurrentHashMap<>();
  private SourceDeleter deleter;

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    file = Files.writeString(Files.createDirectories(root.resolve("dir")).resolve("f.txt"), "fine");
    uploaded = new PathGuard(List.of(root), 1024).check(file.toString());
    deleter =
        new SourceDeleter(
            new ProcessorListener() {
              @Override
              public void sourceFileHandled(String requestId, SourceOutcome outcome) {
                reported.put(requestId, outcome);
              }
            },
            Executors.newSingleThreadExecutor());
  }

  @AfterEach
  void close() {
    deleter.close();
  }

  @Test
  void theFileUploaded_isDeleted() {
    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.DELETED);

    assertThat(file).doesNotExist();
    assertThat(file.getParent()).isDirectory();
  }

  @Test
  void submitted_isDeletedOnTheDeletersThread_andReported() throws Exception {
    deleter.submit(new SourceDeletion(deleter, "req-1", uploaded));
    deleter.close(); // lets the submitted delete finish

    assertThat(file).doesNotExist();
    assertThat(reported).containsEntry("req-1", SourceOutcome.DELETED);
  }

  @Test
  void aFileReplacedSinceTheUpload_isKept() throws Exception {
    replace(file, "FINE"); // same size, another inode

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.CHANGED);

    assertThat(file).hasContent("FINE");
  }

  @Test
  void aFileModifiedInPlaceSinceTheUpload_isKept() throws Exception {
    Files.writeString(file, "fine, and more");

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.CHANGED);

    assertThat(file).hasContent("fine, and more");
  }

  @Test
  void aFileTouchedSinceTheUpload_isKept() throws Exception {
    Files.setLastModifiedTime(file, FileTime.fromMillis(0));

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.CHANGED);

    assertThat(file).exists();
  }

  @Test
  void aFileGone_isGone() throws Exception {
    Files.delete(file);

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.GONE);
  }

  @Test
  void aFileThatGotAHardLink_isKept() throws Exception {
    Path other = outside.resolve("link.txt");
    Files.createLink(other, file);

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.REFUSED);

    assertThat(file).exists();
    assertThat(other).exists();
  }

  @Test
  void theFileSwappedForASymlink_isKept_andItsTargetToo() throws Exception {
    Path secret = Files.writeString(outside.resolve("f.txt"), "secret");
    Files.delete(file);
    Files.createSymbolicLink(file, secret);

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.CHANGED);

    assertThat(secret).exists();
    assertThat(Files.isSymbolicLink(file)).isTrue();
  }

  /** The delete never leaves the root: a directory swapped for a symlink outside stops it. */
  @Test
  void aDirectorySwappedForASymlinkOutside_deletesNothingOutsideTheRoots() throws Exception {
    Path secret = Files.writeString(outside.resolve("f.txt"), "secret");
    Files.move(root.resolve("dir"), root.resolve("dir-old"));
    Files.createSymbolicLink(root.resolve("dir"), outside);

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.REFUSED);

    assertThat(secret).hasContent("secret");
    assertThat(root.resolve("dir-old/f.txt")).hasContent("fine");
  }

  @Test
  void aRootThatBecameASymlink_deletesNothing() throws Exception {
    Path moved = tmp.resolve("root-moved");
    Files.move(root, moved);
    Files.createDirectories(outside.resolve("dir"));
    Files.createSymbolicLink(root, outside);

    assertThat(deleter.delete(uploaded)).isEqualTo(SourceOutcome.REFUSED);

    assertThat(moved.resolve("dir/f.txt")).exists();
  }

  @Test
  void afterClose_aSubmittedDelete_keepsTheFile() throws Exception {
    deleter.close();

    deleter.submit(new SourceDeletion(deleter, "req-late", uploaded));

    assertThat(file).exists();
    assertThat(reported).doesNotContainKey("req-late");
  }

  private static void replace(Path file, String content) throws IOException {
    Path next = Files.writeString(file.resolveSibling("next.tmp"), content, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
