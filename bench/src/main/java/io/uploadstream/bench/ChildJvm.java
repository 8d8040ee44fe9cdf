package io.uploadstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark starts (Kafka broker, S3 server, processor), its output in a log file. Its
 * CPU time and memory are read from {@code /proc}, so each process's share of the machine shows.
 */
final class ChildJvm implements AutoCloseable {
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private final String name;
  private final Process process;
  private final Path log;
  private final boolean writesArchiveAtExit;

  private ChildJvm(String name, Process process, Path log, boolean writesArchiveAtExit) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.writesArchiveAtExit = writesArchiveAtExit;
  }

  /**
   * {@code java jvmArgs... mainArgs...}; {@code mainArgs} start with {@code -jar} or {@code -cp}.
   */
  static ChildJvm start(String name, Path log, List<String> jvmArgs, List<String> mainArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(mainArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      boolean archives = jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
      return new ChildJvm(name, builder.start(), log, archives);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exited by itself or on SIGTERM (status 0 or 143), not killed. */
  boolean exitedCleanly() {
    return !process.isAlive() && (process.exitValue() == 0 || process.exitValue() == 143);
  }

  /** Waits until a line of the output starts with {@code prefix}; returns the rest of it. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> line = output().lines().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get().substring(prefix.length()).trim();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited early; see " + log);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " printed no '" + prefix + "' within " + timeout);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** User + system CPU time so far, from {@code /proc/<pid>/stat}. */
  double cpuSeconds() {
    return cpuSeconds(pid());
  }

  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may contain spaces) start at the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return (double) ticks / CLOCK_TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A field of {@code /proc/<pid>/status} in bytes (VmRSS, VmHWM), or -1 if unreadable. */
  long statusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          String kib = line.substring(field.length() + 1).trim().split("\\s+", -1)[0];
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** SIGTERM, then SIGKILL if it has not exited after {@code grace}. */
  void stop(Duration grace) throws InterruptedException {
    stopAll(List.of(this), grace);
  }

  /**
   * {@link #stop} for several JVMs at once: SIGTERM to all, then waits for each, so their shutdowns
   * overlap instead of adding up.
   */
  static void stopAll(List<ChildJvm> jvms, Duration grace) throws InterruptedException {
    for (ChildJvm jvm : jvms) {
      if (jvm.process.isAlive()) {
        jvm.process.destroy();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ChildJvm jvm : jvms) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!jvm.process.waitFor(left, TimeUnit.NANOSECONDS)) {
        jvm.process.destroyForcibly();
        jvm.process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** {@link #stopAll} with 30 s of grace; interrupted, it kills at once and keeps the flag. */
  static void closeAll(List<ChildJvm> jvms) {
    try {
      stopAll(jvms, Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      jvms.forEach(jvm -> jvm.process.destroyForcibly());
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGKILL to all but a JVM that writes its class-data archive as it exits ({@link AppCds}): that
   * one gets {@link #stopAll stopped}, or the archive would be lost.
   */
  static void killAll(List<ChildJvm> jvms) {
    List<ChildJvm> writers = new ArrayList<>();
    for (ChildJvm jvm : jvms) {
      if (jvm.writesArchiveAtExit) {
        writers.add(jvm);
      } else {
        jvm.process.destroyForcibly();
      }
    }
    closeAll(writers);
    try {
      for (ChildJvm jvm : jvms) {
        jvm.process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #stop} with 30 s of grace; interrupted, it kills at once and keeps the flag. */
  @Override
  public void close() {
    closeAll(List.of(this));
  }
}
