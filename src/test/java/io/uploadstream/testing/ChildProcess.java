package io.uploadstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from the packaged {@code upload-stream.jar} (a processor, a broker), with its
 * output in a log file. Tests kill it with SIGKILL, stop it with SIGTERM and restart it.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The jar the build packaged before the integration tests ran. */
  public static Path jar() {
    String jar = System.getProperty("uploadstream.jar", "target/upload-stream.jar");
    Path path = Path.of(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("no " + path + ": run the integration tests with mvn verify");
    }
    return path;
  }

  /** {@code java [jvmArgs] -jar upload-stream.jar args...} with {@code env} added. */
  public static ChildProcess uploadStream(
      Path log, List<String> jvmArgs, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return start(command, env, log);
  }

  /** {@code java [jvmArgs] -cp upload-stream.jar mainClass args...}. */
  public static ChildProcess mainClass(
      Path log, List<String> jvmArgs, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(jar().toString());
    command.add(mainClass);
    command.addAll(List.of(args));
    return start(command, Map.of(), log);
  }

  private static ChildProcess start(List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      return new ChildProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no cleanup — a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code, or -1 when it did not exit within {@code timeout}. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return waitFor(timeout);
  }

  public int waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
