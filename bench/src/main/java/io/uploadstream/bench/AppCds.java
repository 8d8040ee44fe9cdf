package io.uploadstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-data sharing archives (AppCDS, the JDK's dynamic archives) for the child JVMs: Kafka, the
 * S3 server and the processors. A JVM that maps its classes from an archive instead of loading them
 * from the jar starts on about half the CPU (a processor: ~1.6 instead of ~3.3 CPU s, measured
 * here); what it runs afterwards is the same bytecode, interpreted and compiled the same way, so
 * only the start is cheaper. The archives live in {@code target/bench-cds/}, one per kind of JVM
 * and JDK; when one is missing or older than the jar, the first JVM of that kind in the run writes
 * it as it exits, and the next run uses it. A run that finds a JVM it cannot map the archive of (a
 * different JDK, a damaged file) starts it without one, as the JVM itself does.
 */
final class AppCds {
  private final Path dir;
  private final Path jar;
  private final boolean enabled;
  private final Map<String, ChildJvm> writers = new LinkedHashMap<>();

  AppCds(Path dir, Path jar, boolean enabled) {
    this.dir = dir;
    this.jar = jar;
    this.enabled = enabled;
  }

  /**
   * JVM flags for the next JVM of kind {@code kind}; call {@link #started} with it once started.
   */
  synchronized List<String> flags(String kind) {
    if (!enabled) {
      return List.of();
    }
    keepIfWritten(kind);
    Path archive = archive(kind);
    if (fresh(archive)) {
      return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
    }
    if (!writers.containsKey(kind)) {
      writers.put(kind, null);
      Stack.createDirectories(dir);
      return List.of("-XX:ArchiveClassesAtExit=" + partial(kind).toAbsolutePath());
    }
    return List.of();
  }

  /** Tells which JVM got the flags of {@code kind}: if it writes the archive, it is watched. */
  synchronized void started(String kind, List<String> flags, ChildJvm jvm) {
    if (flags.stream().anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit="))) {
      writers.put(kind, jvm);
      Context.log("  " + jvm.name() + " writes " + archive(kind) + " as it exits (first run)");
    }
  }

  /**
   * After the JVMs have stopped: keeps each archive whose writer exited on its own or on SIGTERM
   * (having written it), drops the others.
   */
  synchronized void keepWritten() {
    writers.forEach(
        (kind, jvm) -> {
          Path partial = partial(kind);
          try {
            if (jvm != null && jvm.exitedCleanly() && Files.size(partial) > 0) {
              Files.move(partial, archive(kind), StandardCopyOption.REPLACE_EXISTING);
            } else {
              Files.deleteIfExists(partial);
            }
          } catch (IOException e) {
            Context.log("AppCDS archive " + partial + " not kept: " + e);
          }
        });
    writers.clear();
  }

  /**
   * If the writer of {@code kind}'s archive has already exited cleanly, puts the archive in place
   * now, so later JVMs of this run start from it (the first run's scale-out processors).
   */
  private void keepIfWritten(String kind) {
    ChildJvm writer = writers.get(kind);
    Path partial = partial(kind);
    try {
      if (writer != null && writer.exitedCleanly() && Files.size(partial) > 0) {
        Files.move(partial, archive(kind), StandardCopyOption.REPLACE_EXISTING);
        writers.remove(kind);
        Context.log("  " + archive(kind) + " written; later " + kind + " JVMs start from it");
      }
    } catch (IOException e) {
      Context.log("AppCDS archive " + partial + " not kept yet: " + e);
    }
  }

  private Path archive(String kind) {
    return dir.resolve(kind + "-" + Runtime.version().feature() + "-" + jdkId() + ".jsa");
  }

  private Path partial(String kind) {
    return dir.resolve(kind + ".jsa.partial");
  }

  private boolean fresh(Path archive) {
    try {
      return Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static String jdkId() {
    return Integer.toHexString(
        (System.getProperty("java.home") + Runtime.version()).hashCode() & 0x7fffffff);
  }
}
