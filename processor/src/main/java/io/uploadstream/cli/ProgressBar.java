package io.uploadstream.cli;

import io.uploadstream.contract.UploadProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Shows the progress events of the files {@code submit --wait} waits for. On a terminal: a live bar
 * per file (percentage, bytes, MB/s), redrawn in place below everything else printed; otherwise a
 * plain line each time a file passes another 10% (at most 11 lines per file). Lines printed through
 * {@link #printAbove} appear above the bars. Called from one thread.
 */
final class ProgressBar {
  private static final int BAR_WIDTH = 30;
  private static final int NAME_WIDTH = 24;
  private static final String ESC = "\u001B[";

  /** One file's display state. */
  private static final class Bar {
    final Path file;
    UploadProgress first;
    UploadProgress latest;
    int printedTenths = -1;

    Bar(Path file) {
      this.file = file;
    }
  }

  private final PrintWriter out;
  private final boolean terminal;
  private final Map<String, Bar> bars = new LinkedHashMap<>();
  private int drawnLines;

  ProgressBar(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /**
   * Shows progress of {@code requestId} as {@code file}'s; events of other requests are ignored.
   */
  void track(String requestId, Path file) {
    bars.put(requestId, new Bar(file));
  }

  void update(UploadProgress progress) {
    Bar bar = bars.get(progress.requestId());
    if (bar == null) {
      return; // not ours, or already finished
    }
    if (bar.first == null) {
      bar.first = progress;
    }
    if (bar.latest != null && progress.bytesDone() < bar.latest.bytesDone()) {
      return; // an older event arriving late
    }
    bar.latest = progress;
    if (terminal) {
      redraw(() -> {});
      return;
    }
    int tenths = percent(progress) / 10;
    if (tenths > bar.printedTenths) {
      bar.printedTenths = tenths;
      out.println(bar.file + ": " + describe(bar));
      out.flush();
    }
  }

  /** Stops showing {@code requestId}'s bar and prints {@code lines} (e.g. its result) above. */
  void finished(String requestId, Runnable lines) {
    bars.remove(requestId);
    printAbove(lines);
  }

  /** Runs {@code lines}, which print to the same output, so that they appear above the bars. */
  void printAbove(Runnable lines) {
    if (terminal) {
      redraw(lines);
    } else {
      lines.run();
    }
  }

  /** Clears the bars drawn last time, lets {@code lines} print, and draws the bars again. */
  private void redraw(Runnable lines) {
    StringBuilder screen = new StringBuilder();
    if (drawnLines > 0) {
      screen.append(ESC).append(drawnLines).append('A').append('\r').append(ESC).append('J');
    }
    out.print(screen);
    out.flush();
    lines.run();
    drawnLines = 0;
    StringBuilder block = new StringBuilder();
    for (Bar bar : bars.values()) {
      if (bar.latest != null) {
        block.append(barLine(bar)).append('\n');
        drawnLines++;
      }
    }
    out.print(block);
    out.flush();
  }

  private static String barLine(Bar bar) {
    int percent = percent(bar.latest);
    int filled = percent * BAR_WIDTH / 100;
    return String.format(
        Locale.ROOT,
        "%-" + NAME_WIDTH + "s [%s%s] %3d%% %s / %s%s",
        name(bar.file),
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        percent,
        bytes(bar.latest.bytesDone()),
        bytes(bar.latest.totalBytes()),
        rate(bar).map(rate -> " " + rate).orElse(""));
  }

  private static String describe(Bar bar) {
    return String.format(
        Locale.ROOT,
        "%d%% (%s of %s%s)",
        percent(bar.latest),
        bytes(bar.latest.bytesDone()),
        bytes(bar.latest.totalBytes()),
        rate(bar).map(rate -> ", " + rate).orElse(""));
  }

  static int percent(UploadProgress progress) {
    if (progress.totalBytes() == 0) {
      return 100;
    }
    return (int) (progress.bytesDone() * 100 / progress.totalBytes());
  }

  /**
   * Decimal megabytes per second since the first event seen; {@code -- MB/s} before a second event;
   * nothing for a file under 1 MB, whose rate says nothing (see {@link Throughput}).
   */
  private static Optional<String> rate(Bar bar) {
    if (bar.latest.totalBytes() < Throughput.MIN_BYTES_FOR_A_RATE) {
      return Optional.empty();
    }
    Duration elapsed = Duration.between(bar.first.time(), bar.latest.time());
    long bytes = bar.latest.bytesDone() - bar.first.bytesDone();
    if (elapsed.isZero() || elapsed.isNegative()) {
      return Optional.of("-- MB/s");
    }
    return Optional.of(Throughput.megabytesPerSecond(bytes, elapsed));
  }

  /** {@code 512 B}, {@code 3.0 KiB}, {@code 50.0 MiB}, {@code 1.2 GiB}. */
  static String bytes(long count) {
    if (count < 1024) {
      return count + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String name(Path file) {
    String name = String.valueOf(file.getFileName());
    return name.length() <= NAME_WIDTH
        ? name
        : "…" + name.substring(name.length() - NAME_WIDTH + 1);
  }
}
