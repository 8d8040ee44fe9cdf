package io.uploadstream.processor;

import io.uploadstream.config.StopBudget;
import io.uploadstream.processor.PathGuard.AllowedFile;
import io.uploadstream.upload.FileStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the source files of {@code afterUpload=delete} requests, each only after its result is
 * committed ({@link SourceDeletion#start}), on a thread of its own so a slow file system never
 * holds up the loop. A file is deleted only if it is still the file that was uploaded: reached from
 * its allowed root through directory handles without following a symlink ({@link DirectoryWalk}), a
 * regular file with one name, the same identity (device and inode), size and modification time as
 * at the check the upload's every open was verified against. Anything else keeps the file.
 *
 * <p>What is left open: POSIX cannot unlink a name only while it names a given inode, so a file
 * swapped in within the microseconds between the last look and the unlink is deleted instead. Only
 * someone who may write the directory can swap a name there, and could delete the file anyway.
 *
 * <p>A JVM started with {@code -D}{@value #HALT_BEFORE_DELETE}{@code =true} halts right before the
 * first unlink: the crash between commit and delete that tests need to show.
 */
final class SourceDeleter implements SourceDeletion.Deleter, AutoCloseable {
  static final String HALT_BEFORE_DELETE = "upload-stream.test.halt-before-source-delete";
  private static final Logger log = LoggerFactory.getLogger(SourceDeleter.class);
  private static final int HALT_STATUS = 137;

  private final ExecutorService thread;
  private final ProcessorListener listener;
  private final boolean haltBeforeDelete = Boolean.getBoolean(HALT_BEFORE_DELETE);

  /**
   * {@code listener} hears each outcome, on {@code thread}: a single thread the deleter owns from
   * here on (the composition root makes it) and shuts down on {@link #close}.
   */
  SourceDeleter(ProcessorListener listener, ExecutorService thread) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.thread = Objects.requireNonNull(thread, "thread");
  }

  /** Deletes the file soon, on the deleter's thread; after {@link #close} it is left. */
  @Override
  public void submit(SourceDeletion deletion) {
    try {
      thread.execute(() -> report(deletion, delete(deletion.file())));
    } catch (RejectedExecutionException e) {
      log.warn("request {}: processor stopping, {} is kept", deletion.requestId(), deletion.file());
    }
  }

  /** Deletes {@code file} if it is still the one uploaded; never throws. */
  SourceOutcome delete(AllowedFile file) {
    try {
      if (!file.root().toRealPath().equals(file.root())) {
        return SourceOutcome.REFUSED; // the root itself was moved or became a symlink
      }
      try (DirectoryStream<Path> rootDirectory = Files.newDirectoryStream(file.root())) {
        if (!(rootDirectory instanceof SecureDirectoryStream<Path> root)) {
          return SourceOutcome.REFUSED; // without openat a swapped directory could lead outside
        }
        return DirectoryWalk.to(
            root,
            file,
            DirectoryWalk.Step.PLAIN,
            (directory, name) -> deleteIfSame(file, directory, name));
      }
    } catch (NoSuchFileException e) {
      return SourceOutcome.GONE;
    } catch (FileSystemException e) { // ELOOP, ENOTDIR: a directory on the path was swapped
      log.info("{} not deleted: the path changed since the upload ({})", file.realPath(), e);
      return SourceOutcome.REFUSED;
    } catch (IOException | RuntimeException e) {
      log.warn("{} not deleted: {}", file.realPath(), e.toString());
      return SourceOutcome.FAILED;
    }
  }

  private SourceOutcome deleteIfSame(
      AllowedFile file, SecureDirectoryStream<Path> directory, Path name) throws IOException {
    BasicFileAttributes attributes =
        directory
            .getFileAttributeView(name, BasicFileAttributeView.class, DirectoryWalk.NOFOLLOW)
            .readAttributes();
    FileStatus now = FileStatus.of(attributes, CheckedOpener.linkCount(file.realPath()));
    Optional<String> change = change(file, now);
    if (change.isPresent()) {
      log.info("{} not deleted: it {} since the upload", file.realPath(), change.get());
      return now.linkCount() > 1 ? SourceOutcome.REFUSED : SourceOutcome.CHANGED;
    }
    if (haltBeforeDelete) {
      log.warn("{} is set: halting before the delete, as a crash would", HALT_BEFORE_DELETE);
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    directory.deleteFile(name);
    return SourceOutcome.DELETED;
  }

  /** How the file at the path now differs from the one uploaded, if it does. */
  private static Optional<String> change(AllowedFile uploaded, FileStatus now) {
    if (!now.regularFile()) {
      return Optional.of("is no longer a regular file");
    }
    if (now.linkCount() > 1) {
      return Optional.of("got " + (now.linkCount() - 1) + " more hard links");
    }
    if (!Objects.equals(now.fileKey(), uploaded.fileKey())) {
      return Optional.of("was replaced by another file");
    }
    if (now.sizeBytes() != uploaded.sizeBytes()
        || !now.lastModified().equals(uploaded.lastModified())) {
      return Optional.of("was modified");
    }
    return Optional.empty();
  }

  private void report(SourceDeletion deletion, SourceOutcome outcome) {
    log.info(
        "request {}: source file {} {}", deletion.requestId(), deletion.file().realPath(), outcome);
    listener.sourceFileHandled(deletion.requestId(), outcome);
  }

  /**
   * Lets the deletes already handed over finish (for a few seconds); later ones keep their file.
   */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(
          StopBudget.SOURCE_DELETE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("source files still to delete at stop are kept");
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
