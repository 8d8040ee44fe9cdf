package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.FileOpener;
import io.uploadstream.upload.FileRefusedException;
import io.uploadstream.upload.OpenFileStatus;
import io.uploadstream.upload.PathNotAllowedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file swapped between the check and an open (the first open, or any reopen for retries) is
 * refused on the file actually opened, never read. Each swap runs in both modes: verified on the
 * open file's own status (the default here, Linux with the add-opens), and verified on the name's
 * status through the directory handle before and after the open (where that cannot be read).
 */
class CheckedOpenerTest {
  private static final long LIMIT_BYTES = 1024;

  @TempDir Path tmp;
  private Path root;
  private Path outside;
  private Path file;

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "TOP SECRET");
    file = Files.writeString(Files.createDirectories(root.resolve("dir")).resolve("f.txt"), "fine");
  }

  @Test
  void theTestJvm_readsTheStatusOfOpenFiles() {
    assertThat(OpenFileStatus.available()).as("surefire's argLine opens the JDK packages").isTrue();
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void swappedForAFifo_isRefusedAsNotARegularFile_withinOneSecond_andFreesTheThread(
      boolean openFileStatus) throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    Files.delete(file);
    PathGuardTest.mkfifo(file);

    long started = System.nanoTime();
    assertTimeoutPreemptively(
        Duration.ofSeconds(3),
        () -> assertRefused(opener, ErrorCode.NOT_A_REGULAR_FILE, FileRefusedException.class));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 0);
  }

  @Test
  void swappedForAFifoThatIsThenRemoved_whileTheOpenWaits_theThreadIsFreedAllTheSame()
      throws Exception {
    FileOpener opener = checkedOpener(true);
    Files.delete(file);
    PathGuardTest.mkfifo(file);
    Thread remover =
        new Thread(
            () -> {
              await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 1);
              try {
                Files.delete(file); // nobody can open this FIFO for writing any more
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    remover.start();

    assertRefused(opener, ErrorCode.NOT_A_REGULAR_FILE, FileRefusedException.class);
    remover.join(5_000);
    assertThat(Files.exists(file)).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 0);
  }

  @Test
  void interruptedWhileTheOpenIsStuckOnAFifo_answersAsAnInterruption_andFreesTheThread()
      throws Exception {
    PathGuard guard = new PathGuard(List.of(root), LIMIT_BYTES, Duration.ofMinutes(1), true);
    FileOpener opener = guard.opener(guard.check(file.toString()));
    Files.delete(file);
    PathGuardTest.mkfifo(file);
    CompletableFuture<Throwable> answer = new CompletableFuture<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                opener.open(root.toRealPath().resolve("dir/f.txt")).close();
                answer.complete(null);
              } catch (Throwable e) {
                answer.complete(e);
              }
            });
    worker.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 1);

    worker.interrupt(); // a shutdown or a revocation cancels the upload

    assertThat(answer.get(2, TimeUnit.SECONDS)).isInstanceOf(ClosedByInterruptException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 0);
  }

  @Test
  void directorySwappedForAFifo_isRefusedWithinOneSecond_andFreesTheThread() throws Exception {
    FileOpener opener = checkedOpener(true);
    Files.move(root.resolve("dir"), root.resolve("dir-old"));
    PathGuardTest.mkfifo(root.resolve("dir"));

    long started = System.nanoTime();
    assertTimeoutPreemptively(
        Duration.ofSeconds(3),
        () -> assertRefused(opener, ErrorCode.NOT_A_REGULAR_FILE, FileRefusedException.class));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 0);
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void swappedForAHardLinkToAFileOutside_isRefusedAsNotAllowed(boolean openFileStatus)
      throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    Files.delete(file);
    Files.createLink(file, outside.resolve("secret.txt"));

    assertRefused(opener, ErrorCode.PATH_NOT_ALLOWED, PathNotAllowedException.class);
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void swappedForAFileOverTheLimit_isRefusedAsTooLarge(boolean openFileStatus) throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    replace(file, new byte[4096]);

    assertThatThrownBy(() -> opener.open(file.toRealPath()))
        .isInstanceOf(FileRefusedException.class)
        .hasMessageContaining("4096 bytes")
        .satisfies(
            e -> assertThat(((FileRefusedException) e).code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void swappedForAnotherFile_isRefusedAsChanged(boolean openFileStatus) throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    replace(file, "FINE".getBytes(StandardCharsets.UTF_8)); // same size, another inode

    assertRefused(opener, ErrorCode.FILE_CHANGED, FileRefusedException.class);
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void rewrittenInPlace_sameInodeAndSize_isRefusedAsChanged(boolean openFileStatus)
      throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    // What a new file that got the deleted file's inode number looks like: same key, same size.
    Files.write(file, "FINE".getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(file, FileTime.fromMillis(0));

    assertRefused(opener, ErrorCode.FILE_CHANGED, FileRefusedException.class);
  }

  @ParameterizedTest(name = "open file status: {0}")
  @ValueSource(booleans = {true, false})
  void everyReopen_isCheckedAgain(boolean openFileStatus) throws Exception {
    FileOpener opener = checkedOpener(openFileStatus);
    try (FileChannel first = opener.open(file.toRealPath())) {
      assertThat(first.size()).isEqualTo(4);
    }
    Files.delete(file);
    Files.createLink(file, outside.resolve("secret.txt")); // e.g. during a store outage

    assertRefused(opener, ErrorCode.PATH_NOT_ALLOWED, PathNotAllowedException.class);
  }

  @Test
  void aDirectorySwappedForASymlinkOutside_isRefusedAndNothingIsRead() throws Exception {
    FileOpener opener = checkedOpener(true);
    Path real = file.toRealPath();
    Files.writeString(outside.resolve("f.txt"), "TOP SECRET");
    Files.move(root.resolve("dir"), root.resolve("dir-old"));
    Files.createSymbolicLink(root.resolve("dir"), outside);

    assertThatThrownBy(() -> opener.open(real))
        .isInstanceOf(PathNotAllowedException.class)
        .hasMessageNotContaining(outside.toString());
  }

  @Test
  void theFileSwappedForASymlink_isRefused() throws Exception {
    FileOpener opener = checkedOpener(true);
    Path real = file.toRealPath();
    Files.delete(file);
    Files.createSymbolicLink(file, outside.resolve("secret.txt"));

    assertThatThrownBy(() -> opener.open(real)).isInstanceOf(PathNotAllowedException.class);
  }

  @Test
  void theCheckedFile_isReadInFull() throws Exception {
    FileOpener opener = checkedOpener(true);
    try (FileChannel channel = opener.open(file.toRealPath())) {
      ByteBuffer content = ByteBuffer.allocate(4);
      channel.read(content, 0);
      assertThat(new String(content.array(), StandardCharsets.UTF_8)).isEqualTo("fine");
    }
  }

  private FileOpener checkedOpener(boolean openFileStatus) throws Exception {
    PathGuard guard =
        new PathGuard(List.of(root), LIMIT_BYTES, PathGuard.OPEN_DEADLINE, openFileStatus);
    return guard.opener(guard.check(file.toString()));
  }

  private void assertRefused(FileOpener opener, ErrorCode code, Class<?> type) throws Exception {
    Path real = root.toRealPath().resolve("dir/f.txt");
    assertThatThrownBy(() -> opener.open(real).close())
        .isInstanceOf(type)
        .satisfies(e -> assertThat(((FileRefusedException) e).code()).isEqualTo(code))
        .hasMessageNotContaining(outside.toString());
  }

  private static void replace(Path file, byte[] content) throws IOException {
    Path next = Files.write(file.resolveSibling("next.tmp"), content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Threads blocked in an open(2) (a FIFO's open blocks until a writer comes). */
  static long threadsInOpen() {
    return Thread.getAllStackTraces().values().stream()
        .filter(
            stack ->
                Arrays.stream(stack)
                    .anyMatch(
                        frame ->
                            frame.getClassName().equals("sun.nio.fs.UnixNativeDispatcher")
                                && frame.getMethodName().startsWith("open")))
        .count();
  }
}
