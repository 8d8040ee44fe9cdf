package io.uploadstream.upload;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status of the file an open {@link FileChannel} reads (an fstat), not of whatever its path
 * names by now. Java 17 has no fstat for a channel: on Linux the channel's descriptor number is
 * read by reflection and {@code /proc/self/fd/N} is stat'ed, which the kernel answers for the open
 * file. The reflection needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens
 * java.base/java.io=ALL-UNNAMED}; the jar's manifest grants both to {@code java -jar}. Where that
 * is not possible (another OS, a JVM started without them) {@link #of} answers empty and a WARN
 * says once that files are checked by their path only.
 */
public final class OpenFileStatus {
  private static final Logger log = LoggerFactory.getLogger(OpenFileStatus.class);
  private static final Path OPEN_FILES = Path.of("/proc/self/fd");
  private static final Optional<Descriptors> DESCRIPTORS = Descriptors.find();

  private OpenFileStatus() {}

  /** Whether {@link #of} can read the open file's status here (Linux, with the add-opens). */
  public static boolean available() {
    return DESCRIPTORS.isPresent();
  }

  /**
   * The status of the open file behind {@code channel}; empty when it cannot be read here (see
   * {@link #available()}) or the channel is not the JDK's own file channel.
   *
   * @throws ClosedChannelException if the channel is closed (before or while it was read)
   */
  public static Optional<FileStatus> of(FileChannel channel) throws IOException {
    if (DESCRIPTORS.isEmpty() || !DESCRIPTORS.get().reads(channel)) {
      return Optional.empty();
    }
    Descriptors descriptors = DESCRIPTORS.get();
    int fd = descriptors.of(channel);
    if (fd < 0 || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
    Map<String, Object> stat =
        Files.readAttributes(OPEN_FILES.resolve(Integer.toString(fd)), "unix:*");
    // A close sets the descriptor to -1 before it frees the number: the same number, still open,
    // means the stat above was of this channel's file and not of a file opened after a close.
    if (descriptors.of(channel) != fd || !channel.isOpen()) {
      throw new ClosedChannelException();
    }
    return Optional.of(
        new FileStatus(
            stat.get("fileKey"),
            (Boolean) stat.get("isRegularFile"),
            (Integer) stat.get("nlink"),
            (Long) stat.get("size"),
            (FileTime) stat.get("lastModifiedTime")));
  }

  /** Reads a JDK file channel's descriptor number: {@code FileChannelImpl.fd.fd}. */
  private record Descriptors(Class<?> channelClass, Field channelFd, Field descriptorFd) {
    static Optional<Descriptors> find() {
      try {
        if (!Files.isDirectory(OPEN_FILES)
            || !FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
          return unavailable("no /proc/self/fd on this system");
        }
        Class<?> channelClass = Class.forName("sun.nio.ch.FileChannelImpl");
        Field channelFd = channelClass.getDeclaredField("fd");
        channelFd.setAccessible(true);
        Field descriptorFd = FileDescriptor.class.getDeclaredField("fd");
        descriptorFd.setAccessible(true);
        return Optional.of(new Descriptors(channelClass, channelFd, descriptorFd));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return unavailable(e.toString());
      }
    }

    private static Optional<Descriptors> unavailable(String why) {
      log.warn(
          "cannot read the status of open files ({}): a file's identity, size and modification"
              + " time are checked by its path only, before and after each open (start the JVM with"
              + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens"
              + " java.base/java.io=ALL-UNNAMED, as java -jar upload-stream.jar does, on Linux)",
          why);
      return Optional.empty();
    }

    boolean reads(FileChannel channel) {
      return channelClass.isInstance(channel);
    }

    int of(FileChannel channel) {
      try {
        return descriptorFd.getInt(channelFd.get(channel));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("descriptor fields were made accessible", e);
      }
    }
  }
}
