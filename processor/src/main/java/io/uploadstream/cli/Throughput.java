package io.uploadstream.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a transfer took and how fast it went, as people read it. A rate is shown only from 1 MB
 * on: a small file's "rate" measures request latency, and rounds to a misleading "0.0 MB/s".
 */
public final class Throughput {
  /** Below this many bytes no rate is shown. */
  static final long MIN_BYTES_FOR_A_RATE = 1_000_000;

  private Throughput() {}

  /** Decimal megabytes per second, e.g. {@code 52.4 MB/s}; empty for small or instant transfers. */
  public static Optional<String> rate(long bytes, Duration elapsed) {
    if (bytes < MIN_BYTES_FOR_A_RATE || elapsed.isZero() || elapsed.isNegative()) {
      return Optional.empty();
    }
    return Optional.of(megabytesPerSecond(bytes, elapsed));
  }

  /** {@code 52.4 MB/s}; {@code elapsed} must be positive. */
  static String megabytesPerSecond(long bytes, Duration elapsed) {
    double megabytesPerSecond = bytes / 1e6 / (elapsed.toNanos() / 1e9);
    return String.format(Locale.ROOT, "%.1f MB/s", megabytesPerSecond);
  }

  /** {@code 12 ms}, {@code 1.52 s}, {@code 3m 05s}. */
  public static String duration(Duration elapsed) {
    long millis = Math.max(0, elapsed.toMillis());
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%dm %02ds", millis / 60_000, (millis / 1000) % 60);
  }

  /** {@code 6 bytes in 12 ms}, {@code 52428800 bytes in 0.52 s (100.8 MB/s)}. */
  public static String describe(long bytes, Duration elapsed) {
    String text = bytes + " bytes in " + duration(elapsed);
    return rate(bytes, elapsed).map(rate -> text + " (" + rate + ")").orElse(text);
  }
}
