package io.uploadstream.processor;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.processor.PathGuard.Refused;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The allowed roots, and where a requested path leads among them, found without ever looking at
 * anything outside them. First on the path's text: a normalized path outside every root is outside,
 * whether or not a file is there. Inside a root, symlinks are resolved one component at a time
 * (lstat, readlink), and a link whose target leads out of the roots ends the walk before anything
 * outside is looked at. {@code ..} is resolved lexically: in the request (so {@code root/link/..}
 * is {@code root}), and in a link's target against the real directory holding the link, which is
 * what the kernel does there too.
 */
final class AllowedRoots {
  /** As Linux: more links than this on one path is a loop (ELOOP). */
  private static final int MAX_SYMLINKS = 40;

  /** A path under a root: the root's real path and the normalized rest below it. */
  record Located(Path root, Path relative) {}

  /** Where a path led: its real path (no symlink in it) under its real root, and its lstat. */
  record Resolved(Path root, Path realPath, BasicFileAttributes attributes) {}

  /** A configured root: as written (absolute, normalized) and as the file system resolves it. */
  private record Root(Path given, Path real) {}

  private final List<Root> roots;

  /** {@code roots} must exist; they are resolved to real paths once, here. */
  AllowedRoots(List<Path> roots) {
    this.roots = roots.stream().map(AllowedRoots::root).toList();
  }

  /** The root {@code normalized} lies under, by its text alone; empty when outside every root. */
  Optional<Located> locate(Path normalized) {
    for (Root root : roots) {
      for (Path prefix : List.of(root.real(), root.given())) {
        if (normalized.startsWith(prefix)) {
          return Optional.of(new Located(root.real(), prefix.relativize(normalized)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Follows {@code start} component by component. {@code requested} is the path as the request
   * wrote it, the only one messages name.
   */
  Resolved resolve(Located start, String requested) throws Refused {
    Path root = start.root();
    Path current = root;
    Deque<Path> names = names(start.relative());
    BasicFileAttributes attributes = lstat(root, requested);
    int links = 0;
    while (!names.isEmpty()) {
      if (!attributes.isDirectory()) {
        throw new Refused(ErrorCode.FILE_NOT_FOUND, "no file at '" + requested + "'");
      }
      Path next = current.resolve(names.pop());
      attributes = lstat(next, requested);
      if (!attributes.isSymbolicLink()) {
        current = next;
        continue;
      }
      if (++links > MAX_SYMLINKS) {
        throw new Refused(
            ErrorCode.FILE_NOT_FOUND, "'" + requested + "': too many levels of symbolic links");
      }
      Path target = current.resolve(readLink(next, requested)).normalize();
      Located again = locate(withRest(target, names)).orElseThrow(() -> leadsOutside(requested));
      root = again.root();
      current = root;
      names = names(again.relative());
      attributes = lstat(root, requested);
    }
    return new Resolved(root, current, attributes);
  }

  private static Refused leadsOutside(String requested) {
    // Never the target: where a link points outside the roots is none of the requester's business.
    return new Refused(
        ErrorCode.PATH_NOT_ALLOWED,
        "'" + requested + "' leads through a symbolic link to outside the allowed roots");
  }

  private static Path withRest(Path target, Deque<Path> names) {
    Path path = target;
    for (Path name : names) {
      path = path.resolve(name);
    }
    return path;
  }

  private static Deque<Path> names(Path relative) {
    Deque<Path> names = new ArrayDeque<>();
    if (!relative.toString().isEmpty()) {
      relative.forEach(names::add);
    }
    return names;
  }

  /** Called only on paths under a root: every component before the last is a real directory. */
  private static BasicFileAttributes lstat(Path path, String requested) throws Refused {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new Refused(ErrorCode.FILE_NOT_FOUND, "no file at '" + requested + "'");
    } catch (AccessDeniedException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot access '" + requested + "'");
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot read '" + requested + "': " + e);
    }
  }

  private static Path readLink(Path link, String requested) throws Refused {
    try {
      return Files.readSymbolicLink(link);
    } catch (IOException e) {
      throw new Refused(ErrorCode.FILE_NOT_READABLE, "cannot read '" + requested + "': " + e);
    }
  }

  private static Root root(Path root) {
    try {
      return new Root(root.toAbsolutePath().normalize(), root.toRealPath());
    } catch (IOException e) {
      throw new UncheckedIOException("allowed root " + root + " cannot be resolved", e);
    }
  }
}
