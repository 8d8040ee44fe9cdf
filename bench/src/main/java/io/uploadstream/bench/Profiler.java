package io.uploadstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR around a case ({@code --profile}): a recording in this JVM, or one started with the child
 * JVM's flags and dumped with {@code jcmd}; each turned into a short text of the hottest methods.
 */
final class Profiler {
  private Profiler() {}

  static Recording startHere() {
    try {
      Recording recording = new Recording(Configuration.getConfiguration("profile"));
      recording.start();
      return recording;
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot start JFR", e);
    }
  }

  static void stopHere(Recording recording, Path file) {
    try (recording) {
      recording.stop();
      recording.dump(file);
      summarize(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Dumps the recording a child started with {@code -XX:StartFlightRecording=name=bench}. */
  static void dumpChild(long pid, Path file) throws InterruptedException {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  "JFR.dump",
                  "name=bench",
                  "filename=" + file.toAbsolutePath())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
      }
      if (Files.isRegularFile(file)) {
        summarize(file);
      }
    } catch (IOException e) {
      Context.log("jcmd JFR.dump failed for " + pid + ": " + e);
    }
  }

  /** Writes {@code <file>.txt}: hottest methods by own samples and by samples on the stack. */
  static void summarize(Path file) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      samples++;
      threads.merge(threadGroup(event), 1, Integer::sum);
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = name(frame.getMethod());
        if (seen.add(name)) {
          total.merge(name, 1, Integer::sum);
        }
      }
    }
    StringBuilder text = new StringBuilder();
    text.append("execution samples: ").append(samples).append("\n\nBy thread:\n");
    append(text, threads, samples, 15);
    text.append("\nTop by own samples:\n");
    append(text, self, samples, 25);
    text.append("\nTop by samples on the stack (inclusive):\n");
    append(text, total, samples, 40);
    Files.writeString(Path.of(file + ".txt"), text);
  }

  private static void append(StringBuilder text, Map<String, Integer> counts, int all, int top) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                text.append(
                    String.format(
                        "%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, all), e.getKey())));
  }

  /** The sampled thread's name without its number: "upload-worker-3" becomes "upload-worker-#". */
  private static String threadGroup(RecordedEvent event) {
    RecordedThread thread = event.getThread("sampledThread");
    String name = thread == null ? null : thread.getJavaName();
    return name == null ? "(unknown)" : name.replaceAll("\\d+", "#");
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName();
  }
}
