package io.uploadstream.processor;

import io.uploadstream.processor.PathGuard.AllowedFile;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The way from an allowed root to the directory holding a checked file: one directory handle at a
 * time ({@code openat}), none following a symlink, so what is reached lies inside the root whatever
 * was swapped on the path since the check (a symlink met is ELOOP, a file met ENOTDIR). Used to
 * open the file ({@link CheckedOpener}) and to delete it ({@link SourceDeleter}).
 */
final class DirectoryWalk {
  static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** Opens one directory below {@code parent}; {@code realDirectory} is the path it names. */
  @FunctionalInterface
  interface Step {
    Step PLAIN = (parent, name, realDirectory) -> parent.newDirectoryStream(name, NOFOLLOW);

    SecureDirectoryStream<Path> open(
        SecureDirectoryStream<Path> parent, Path name, Path realDirectory) throws IOException;
  }

  /** What is done in the file's directory, with the file's name in it. */
  @FunctionalInterface
  interface InDirectory<T> {
    T run(SecureDirectoryStream<Path> directory, Path name) throws IOException;
  }

  private DirectoryWalk() {}

  /**
   * Walks from {@code root} (the handle of {@code file.root()}) to {@code file}'s directory and
   * runs {@code action} there; closes every handle it opened, not {@code root}.
   */
  static <T> T to(
      SecureDirectoryStream<Path> root, AllowedFile file, Step step, InDirectory<T> action)
      throws IOException {
    Path relative = file.root().relativize(file.realPath());
    Deque<SecureDirectoryStream<Path>> opened = new ArrayDeque<>();
    try {
      SecureDirectoryStream<Path> directory = root;
      Path realDirectory = file.root();
      for (int i = 0; i < relative.getNameCount() - 1; i++) {
        Path name = relative.getName(i);
        realDirectory = realDirectory.resolve(name);
        directory = step.open(directory, name, realDirectory);
        opened.push(directory);
      }
      return action.run(directory, relative.getFileName());
    } finally {
      for (SecureDirectoryStream<Path> directory : opened) {
        directory.close();
      }
    }
  }
}
