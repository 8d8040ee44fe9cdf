package io.uploadstream.cli;

import io.uploadstream.config.SettingValues;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations spelled as in settings: {@code 200ms}, {@code 30s}, {@code 10m}, {@code PT10M}. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return SettingValues.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
  }
}
