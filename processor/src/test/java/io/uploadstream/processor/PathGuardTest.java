package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.upload.PathNotAllowedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * The check: decided on the path's text first, then on every symlink inside the roots, never
 * looking outside them. What the opener does with a file swapped after the check is in {@link
 * CheckedOpenerTest}.
 */
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
    link(root.resolve("link-out"), outside.resolve("secret.txt"));
    link(root.resolve("link-out-missing"), outside.resolve("id_ed25519"));
    link(root.resolve("link-in"), root.resolve("ok.txt"));
    link(root.resolve("dir-out"), outside);
    link(root.resolve("climbs-out"), Path.of("../outside/secret.txt"));
    link(root.resolve("climbs-back"), Path.of("../root/ok.txt"));
    link(root.resolve("dangling-in"), root.resolve("nope.txt"));
    link(root.resolve("loop-a"), root.resolve("loop-b"));
    link(root.resolve("loop-b"), root.resolve("loop-a"));
    if (!Files.exists(root.resolve("fifo"))) {
      mkfifo(root.resolve("fifo"));
    }
    Files.createDirectories(tmp.resolve("root2"));
    guard = new PathGuard(List.of(root), 1024);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        refusal(
            "outside the roots",
            r -> outside.resolve("secret.txt").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "outside the roots, missing",
            r -> outside.resolve("id_ed25519").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal("../ traversal", r -> root + "/../outside/secret.txt", ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "symlink pointing outside",
            r -> root.resolve("link-out").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "symlink pointing to a missing file outside",
            r -> root.resolve("link-out-missing").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "through a symlinked directory outside",
            r -> root.resolve("dir-out/secret.txt").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "through a symlinked directory outside, missing",
            r -> root.resolve("dir-out/id_ed25519").toString(),
            ErrorCode.PATH_NOT_ALLOWED),
        refusal(
            "relative symlink climbing out",
            r -> root.resolve("climbs-out").toString(),
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
        refusal(
            "dangling symlink inside",
            r -> root.resolve("dangling-in").toString(),
            ErrorCode.FILE_NOT_FOUND),
        refusal("symlink loop", r -> root.resolve("loop-a").toString(), ErrorCode.FILE_NOT_FOUND),
        refusal(
            "a file used as a directory",
            r -> root.resolve("ok.txt/x").toString(),
            ErrorCode.FILE_NOT_FOUND),
        refusal("relative path", r -> "root/ok.txt", ErrorCode.INVALID_REQUEST),
        refusal("relative path with ..", r -> "../root/ok.txt", ErrorCode.INVALID_REQUEST),
        refusal("NUL character", r -> root + "/ok.txt\0.png", ErrorCode.INVALID_REQUEST));
  }

  private static Arguments refusal(String name, Function<Path, String> path, ErrorCode code) {
    return Arguments.of(name, path, code);
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("refused")
  void hostilePath_isRefusedWithTheRightCode(
      String name, Function<Path, String> path, ErrorCode code) {
    assertThat(refusal(path.apply(root)).code()).isEqualTo(code);
  }

  @Test
  void outsideTheRoots_missingAndExistingFiles_answerTheSame() {
    String existing = outside.resolve("secret.txt").toString();
    String missing = outside.resolve("id_ed25519").toString();

    PathGuard.Refused forExisting = refusal(existing);
    PathGuard.Refused forMissing = refusal(missing);

    assertThat(forExisting.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forMissing.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forExisting.getMessage())
        .isEqualTo("'" + existing + "' is outside the allowed roots");
    assertThat(forMissing.getMessage().replace(missing, "<path>"))
        .isEqualTo(forExisting.getMessage().replace(existing, "<path>"));
  }

  @Test
  void symlinkInsideLeadingOutside_isRefusedWithoutNamingTheTarget_whetherTheTargetExistsOrNot() {
    String toExisting = root.resolve("link-out").toString();
    String toMissing = root.resolve("link-out-missing").toString();

    PathGuard.Refused forExisting = refusal(toExisting);
    PathGuard.Refused forMissing = refusal(toMissing);

    assertThat(forExisting.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forMissing.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
    assertThat(forExisting.getMessage())
        .isEqualTo(
            "'" + toExisting + "' leads through a symbolic link to outside the allowed roots")
        .doesNotContain(outside.toString())
        .doesNotContain("secret");
    assertThat(forMissing.getMessage().replace(toMissing, "<path>"))
        .isEqualTo(forExisting.getMessage().replace(toExisting, "<path>"));
  }

  @Test
  void hardLinkedFile_isRefused() throws Exception {
    Path linked = root.resolve("hard-linked.txt");
    Files.deleteIfExists(linked);
    Files.createLink(linked, root.resolve("ok.txt"));
    try {
      PathGuard.Refused refused = refusal(linked.toString());
      assertThat(refused.code()).isEqualTo(ErrorCode.PATH_NOT_ALLOWED);
      assertThat(refused.getMessage()).contains("hard links");
    } finally {
      Files.delete(linked);
    }
  }

  @Test
  void regularFileUnderRoot_isAllowed_withItsRealPathIdentityAndSize() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("ok.txt").toString());
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
    assertThat(file.sizeBytes()).isEqualTo(4);
    assertThat(file.fileKey())
        .isEqualTo(Files.readAttributes(root.resolve("ok.txt"), "unix:fileKey").get("fileKey"));
  }

  @Test
  void symlinkInsideRootToAFileInsideRoot_isAllowed() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("link-in").toString());
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
  }

  @Test
  void relativeSymlinkThatClimbsOutAndBackIn_isAllowed() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("climbs-back").toString());
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
  }

  @Test
  void symlinkedDirectoryInsideRoot_isFollowed() throws Exception {
    Path nested = Files.createDirectories(root.resolve("dir/sub"));
    Files.writeString(nested.resolve("n.txt"), "nested");
    link(root.resolve("to-sub"), Path.of("dir/sub"));

    PathGuard.AllowedFile file = guard.check(root.resolve("to-sub/n.txt").toString());

    assertThat(file.realPath()).isEqualTo(nested.resolve("n.txt").toRealPath());
  }

  @Test
  void dotSegmentsThatStayInside_areAllowed() throws Exception {
    PathGuard.AllowedFile file = guard.check(root + "/dir/../ok.txt");
    assertThat(file.realPath()).isEqualTo(root.resolve("ok.txt").toRealPath());
  }

  @Test
  void rootConfiguredThroughASymlink_acceptsPathsThroughTheLinkAndTheRealDirectory()
      throws Exception {
    Path viaLink = tmp.resolve("root-link");
    link(viaLink, root);
    PathGuard throughLink = new PathGuard(List.of(viaLink), 1024);

    assertThat(throughLink.check(viaLink.resolve("ok.txt").toString()).realPath())
        .isEqualTo(root.resolve("ok.txt").toRealPath());
    assertThat(throughLink.check(root.resolve("ok.txt").toString()).realPath())
        .isEqualTo(root.resolve("ok.txt").toRealPath());
  }

  @Test
  void opener_readsTheAllowedFile() throws Exception {
    Path nested = Files.createDirectories(root.resolve("dir/sub"));
    Files.writeString(nested.resolve("n.txt"), "nested");
    PathGuard.AllowedFile file = guard.check(nested.resolve("n.txt").toString());

    try (FileChannel channel = guard.opener(file).open(file.realPath())) {
      assertThat(channel.size()).isEqualTo(6);
    }
  }

  @Test
  void opener_ofAnotherPathThanTheCheckedOne_refuses() throws Exception {
    PathGuard.AllowedFile file = guard.check(root.resolve("ok.txt").toString());

    assertThatThrownBy(() -> guard.opener(file).open(root.resolve("big.bin")))
        .isInstanceOf(PathNotAllowedException.class)
        .hasMessageContaining("not the file that was checked");
  }

  private PathGuard.Refused refusal(String path) {
    try {
      guard.check(path);
    } catch (PathGuard.Refused refused) {
      return refused;
    }
    throw new AssertionError(path + " was allowed");
  }

  private static void link(Path link, Path target) throws Exception {
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
  }

  static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
  }
}
