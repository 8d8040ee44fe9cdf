package io.uploadstream.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program of this machine (bash, kcat, python3) the way a user would. */
final class Command {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** What a run printed (stdout; stderr separately) and how it ended. */
  record Run(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private Command() {}

  static boolean exists(String program) {
    try {
      return run(List.of("sh", "-c", "command -v " + program), Map.of()).exitCode() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static Run run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    // Small outputs: read both after the end (a full pipe cannot block them).
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not end within " + TIMEOUT);
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
