package io.uploadstream.config;

import java.util.OptionalLong;

/**
 * Size lanes: requests for files at or above {@code largeFileThresholdBytes} are handed from the
 * request topic to the large-request topic, where the same processors serve them with {@code
 * largeUploadsInFlight} upload slots of their own, so a small file never waits behind a big one.
 *
 * @param largeFileThresholdBytes empty: one lane, every request is served from the request topic
 */
public record LaneSettings(OptionalLong largeFileThresholdBytes, int largeUploadsInFlight) {

  /** {@code processor.large-file-threshold} turns the lanes off with this value. */
  public static final String OFF = "off";

  public LaneSettings {
    ConfigProblems problems = new ConfigProblems();
    largeFileThresholdBytes.ifPresent(
        bytes ->
            problems.require(
                bytes >= 1,
                Setting.PROCESSOR_LARGE_FILE_THRESHOLD,
                "must be at least 1 byte (or off), was " + bytes));
    problems.require(
        largeUploadsInFlight >= 1,
        Setting.PROCESSOR_LARGE_UPLOADS_IN_FLIGHT,
        "must be at least 1, was " + largeUploadsInFlight);
    problems.throwIfAny();
  }

  /** Whether big files get a lane of their own. */
  public boolean enabled() {
    return largeFileThresholdBytes.isPresent();
  }

  /** Whether a file of {@code sizeBytes} is handed to the large-request lane. */
  public boolean isLarge(long sizeBytes) {
    return enabled() && sizeBytes >= largeFileThresholdBytes.getAsLong();
  }

  /** Parses {@code processor.large-file-threshold}: a size, or {@code off}. */
  static OptionalLong parseThreshold(String value) {
    return value.trim().equalsIgnoreCase(OFF)
        ? OptionalLong.empty()
        : OptionalLong.of(SettingValues.parseBytes(value));
  }
}
