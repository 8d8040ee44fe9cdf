package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.PathNotAllowedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathGuardTest {
  @TempDir static Path tmp;
  static Path root;
  static Path outside;
  private PathGuard guard;

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(root.resolve("ok.txt"), "fine");
    Files.write(root.resolve("big.bin"), new byte[2048]);
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(root.resolve("dir"));
    Files.deleteIfExists(root.resolve("link-out"));
    Files.createSymbolicLink(root.resolve("link-out"), outside.resolve("secret.txt"));
    Files.deleteIfExists(root.resolve("link-in"));
    Files.createSymbolicLink(root.resolve("link-in"), root.resolve("ok.txt"));
    Files.deleteIfExists(root.resolve("fifo"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Files.createDirectories(tmp.resolve("root2"));
    guard = new PathGuard(List.of(root), 1024);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        refusal(
            "outside the roots",
            r -> outside.resolve("secret.txt").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal("../ traversal", r -> root + "/../outside/secret.txt", ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "symlink pointing outside",
            r -> root.resolve("link-out").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "sibling root with common prefix",
            r -> tmp.resolve("root2").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal("/dev/zero", r -> "/dev/zero", ErrorCode.PATH_NOT_ALLOWED),
        refusal("/proc/self/environ", r -> "/proc/self/environ", ErrorCode.PATH_NOT_ALLOWED),
        refusal("a FIFO", r -> root.resolve("fifo").toString(), ErrorCode.NOT_A_REGULAR_FILE),
        refusal("a directory", r -> root.resolve("dir").toString(), ErrorCode.NOT_A_REGULAR_FILE),
        refusal("the root itself", r -> root.toString(), ErrorCode.NOT_A_REGULAR_FILE),
        refusal(
            "over the size limit",
            r -> root.resolve("big.bin").toString(),
            ErrorCode.FILE_TOO_LARGE),
        refusal("missing", r -> root.resolve("nope.txt").toString(), ErrorCode.FILE_NOT_FOUND),
        refusal("relative path", r -> "root/ok.txt", ErrorCode.INVALID_REQUEST),
        refusal("NUL character", r -> root + "/ok.txt\0.png", ErrorCode.PATH_NOT_ALLOWED));
  }

  private static Arguments refusal(String name, Function<Path, String> path, ErrorCode code) {
    return Arguments.of(name, path, code);
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("refused")
  void hostilePath_isRefusedWithTheRightCode(
      String name, Function<Path, String> path, ErrorCode code) {
    assertThatThrownBy(() -> guard.check(path.apply(root)))
        .isInstanceOf(PathGuard.Refused.class)
        .satisfies(e -> assertThat(((PathGuard.Refused) e).code()).isEqualTo(code));
  }

  @Test
  void hardLinkedFile_isRefused() throws Exception {
    Path linked = root.resolve("hard-linked.txt");
    Files.deleteIfExists(linked);
    Files.createLink(linked, root.resolve("ok.txt"));
    try {
      assertThatThrownBy(() -> guard.check(linked.toString()))
          .isInstanceOf(PathGuard.Refused.class)
          .hasMessageContaining("hard links")
          .satisfies(
              e ->
                  assertThat(((PathGuard.Refused) e).code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED));
    } finally {
      Files.delete(linked);
    }
  }

  @Test
  void open_readsTheAllowedFile() throws Exception {
    Path nested = Files.createDirectories(root.resolve("dir/sub"));
    Files.writeString(nested.resolve("n.txt"), "nested");
    PathGuard.AllowedFile file = guard.check(nested.resolve("n.txt").toString());

    try (FileChannel channel = guard.open(file.realPath())) {
      assertThat(channel.size()).isEqualTo(6);
    }
  }

  @Test
  void open_afterADirectoryWasSwappedForASymlinkOutside_refusesAndReadsNothing() throws Exception {
    Path swapped = Files.createDirectories(root.resolve("swap"));
    Files.writeString(swapped.resolve("secret.txt"), "harmless");
    PathGuard.AllowedFile file = guard.check(swapped.resolve("secret.txt").toString());
    // The race: after the check, the directory becomes a symlink to where the secret lives.
    Files.move(swapped, root.resolve("swap-old"));
    Files.createSymbolicLink(swapped, outside);
    try {
      assertThatThrownBy(() -> guard.open(file.realPath()))
          .isInstanceOf(PathNotAllowedException.class);
    } finally {
      Files.delete(swapped);
    }
  }

  @Test
  void open_afterTheFileWasSwappedForASymlink_refuses() throws Exception {
    Path target = root.resolve("soon-a-link.txt");
    Files.writeString(target, "fine");
    PathGuard.AllowedFile file = guard.check(target.toString());
    Files.delete(target);
    Files.createSymbolicLink(target, outside.resolve("secret.txt"));
    try {
      assertThatThrownBy(() -> guard.open(file.realPath()))
          .isInstanceOf(PathNotAllowedException.class);
    } finally {
      Files.delete(target);
    }
  }

  @Test
  void outsideTheRoots_missingAndExistingFiles_answerTheSame() {
    String existing = outside.resolve("secret.txt").toString();
    String missing = outside.resolve("no-such-key.pem").toString();

    PathGuard.Refused forExisting = refusal(existing);
    PathGuard.Refused forMissing = refusal(missing);

    assertThat(forExisting.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forMissing.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forMissing.getMessage().replace(missing, "<path>"))
        .isEqualTo(forExisting.getMessage().replace(existing, "<path>"));
  }

  @Test
  void symlinkInsideLeadingOutside_isRefusedWithoutNamingTheTarget_whetherTheTargetExistsOrNot()
      throws Exception {
    Path dangling = root.resolve("link-out-missing");
    Files.deleteIfExists(dangling);
    Files.createSymbolicLink(dangling, outside.resolve("no-such-key.pem"));
    String toExisting = root.resolve("link-out").toString();

    PathGuard.Refused forExisting = refusal(toExisting);
    PathGuard.Refused forMissing = refusal(dangling.toString());

    assertThat(forExisting.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forMissing.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forExisting.getMessage())
        .contains("symbolic link")
        .doesNotContain(outside.toString())
        .doesNotContain("secret");
    assertThat(forMissing.getMessage().replace(dangling.toString(), "<path>"))
        .isEqualTo(forExisting.getMessage().replace(toExisting, "<path>"));
  }

  @Test
  void open_afterTheFileWasSwappedForAFifo_refusesWithinOneSecond_andFreesTheThread()
      throws Exception {
    Path target = root.resolve("soon-a-fifo.txt");
    Files.writeString(target, "fine");
    PathGuard.AllowedFile file = guard.check(target.toString());
    Files.delete(target);
    mkfifo(target);

    long started = System.nanoTime();
    assertTimeoutPreemptively(
        Duration.ofSeconds(3),
        () -> assertThatThrownBy(() -> openChecked(file)).isInstanceOf(IOException.class));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsInOpen() == 0);
  }

  @Test
  void open_afterTheFileWasSwappedForAHardLinkToAFileOutside_refuses() throws Exception {
    Path target = root.resolve("soon-a-hard-link.txt");
    Files.writeString(target, "harmless");
    PathGuard.AllowedFile file = guard.check(target.toString());
    Files.delete(target);
    Files.createLink(target, outside.resolve("secret.txt"));

    assertThatThrownBy(() -> openChecked(file).close()).isInstanceOf(PathNotAllowedException.class);
  }

  @Test
  void open_afterTheFileWasSwappedForOneOverTheSizeLimit_refuses() throws Exception {
    Path target = root.resolve("soon-too-big.bin");
    Files.write(target, new byte[100]);
    PathGuard.AllowedFile file = guard.check(target.toString());
    Files.write(root.resolve("swap.tmp"), new byte[4096]);
    Files.move(root.resolve("swap.tmp"), target, StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> openChecked(file).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("4096");
  }

  @Test
  void open_afterTheFileWasReplacedByAnotherOne_refuses() throws Exception {
    Path target = root.resolve("soon-replaced.txt");
    Files.writeString(target, "first");
    PathGuard.AllowedFile file = guard.check(target.toString());
    Files.writeString(root.resolve("swap.tmp"), "other");
    Files.move(root.resolve("swap.tmp"), target, StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> openChecked(file).close())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("replaced");
  }

  private FileChannel openChecked(PathGuard.AllowedFile file) throws IOException {
    return guard.open(file.realPath());
  }

  private PathGuard.Refused refusal(String path) {
    try {
      guard.check(path);
    } catch (PathGuard.Refused refused) {
      return refused;
    }
    throw new AssertionError(path + " was allowed");
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Threads blocked in an open(2) of ours (a FIFO open blocks until a writer comes). */
  private static long threadsInOpen() {
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

  @Test
  void regularFileUnderRoot_isAllowed_withItsRealPathAndSize() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("ok.txt").toString());
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
    assertThat(file.sizeBytes()).isEqualTo(4);
  }

  @Test
  void symlinkInsideRootToAFileInsideRoot_isAllowed() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("link-in").toString());
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
  }

  @Test
  void dotSegmentsThatStayInside_areAllowed() throws Exception {
    PathGuard.AllowedFile file = guard.check(root + "/dir/../ok.txt");
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
  }
}
