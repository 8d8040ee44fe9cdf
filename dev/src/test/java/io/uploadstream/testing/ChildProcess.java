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
 * A JVM started from a packaged jar, with its output in a log file: a processor from the production
 * jar ({@code processor/target/upload-stream.jar}), the {@code dev} command or an embedded server
 * from this module's {@code upload-stream-dev.jar}. Tests kill it with SIGKILL, stop it with
 * SIGTERM and restart it.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The production jar the build packaged before the integration tests ran. */
  public static Path jar() {
    return packaged("uploadstream.jar", "../processor/target/upload-stream.jar");
  }

  /** The jar with every command, {@code dev} and the embedded servers included. */
  public static Path devJar() {
    return packaged("uploadstream.dev.jar", "target/upload-stream-dev.jar");
  }

  private static Path packaged(String property, String fallback) {
    Path path = Path.of(System.getProperty(property, fallback));
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("no " + path + ": run the integration tests with mvn verify");
    }
    return path;
  }

  /** {@code java [jvmArgs] -jar upload-stream.jar args...} with {@code env} added. */
  public static ChildProcess uploadStream(
      Path log, List<String> jvmArgs, Map<String, String> env, String... args) {
    return jar(jar(), log, jvmArgs, env, args);
  }

  /** {@code java [jvmArgs] -jar upload-stream-dev.jar args...}: for the {@code dev} command. */
  public static ChildProcess uploadStreamDev(
      Path log, List<String> jvmArgs, Map<String, String> env, String... args) {
    return jar(devJar(), log, jvmArgs, env, args);
  }

  private static ChildProcess jar(
      Path jar, Path log, List<String> jvmArgs, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return start(command, env, log);
  }

  /** {@code java [jvmArgs] -cp upload-stream-dev.jar mainClass args...}, e.g. a broker. */
  public static ChildProcess mainClass(
      Path log, List<String> jvmArgs, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(devJar().toString());
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
