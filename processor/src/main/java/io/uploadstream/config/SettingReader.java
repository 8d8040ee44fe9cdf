package io.uploadstream.config;

import io.uploadstream.client.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reads one setting at a time for one load: a value that is missing or invalid is recorded in the
 * {@link ConfigProblems} (naming the setting, its origin and the value as given) and replaced by
 * the default, so reading goes on and every invalid setting is reported together. Not thread-safe.
 */
final class SettingReader {
  private final SettingSources sources;
  private final ConfigProblems problems;

  SettingReader(SettingSources sources, ConfigProblems problems) {
    this.sources = sources;
    this.problems = problems;
  }

  /** The value, or the default; a missing required value is a problem (and reads as ""). */
  String string(Setting setting) {
    Optional<SettingSources.Found> found = sources.find(setting.key());
    if (found.isPresent() && !found.get().value().isEmpty()) {
      return found.get().value();
    }
    if (setting.required()) {
      problems.add(
          setting,
          "required but not set (property " + setting.key() + " or env " + setting.envName() + ")");
      return "";
    }
    return setting.defaultValue();
  }

  Optional<String> optional(Setting setting) {
    String value = string(setting);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Parses the value; a failure is a problem, and the default's value stands in for it. */
  <T> T parse(Setting setting, Function<String, T> parser) {
    String value = string(setting);
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      problems.add(
          setting,
          "invalid value '"
              + shown(setting, value)
              + "' from "
              + origin(setting)
              + ": "
              + e.getMessage());
      return setting.defaultValue() == null ? null : parser.apply(setting.defaultValue());
    }
  }

  int atLeast(Setting setting, int min) {
    return checked(setting, Integer::parseInt, value -> value >= min, "must be at least " + min);
  }

  double atLeast(Setting setting, double min) {
    return checked(setting, Double::parseDouble, value -> value >= min, "must be at least " + min);
  }

  long bytesBetween(Setting setting, long min, long max, String range) {
    return checked(
        setting,
        SettingValues::parseBytes,
        value -> value >= min && value <= max,
        "must be between " + range);
  }

  Duration duration(Setting setting) {
    return parse(setting, SettingValues::parseDuration);
  }

  Duration atLeast(Setting setting, Duration min, String shownMin) {
    return checked(
        setting,
        SettingValues::parseDuration,
        value -> value.compareTo(min) >= 0,
        "must be at least " + shownMin);
  }

  /** A duration that may be left empty; an invalid one is a problem (and reads as empty). */
  Optional<Duration> optionalDuration(Setting setting) {
    return optional(setting)
        .flatMap(value -> convert(setting, value, SettingValues::parseDuration, "not a duration"));
  }

  Optional<URI> uri(Setting setting) {
    return optional(setting)
        .flatMap(value -> convert(setting, value, SettingReader::toUri, "not a URL"));
  }

  Optional<Path> path(Setting setting, String value) {
    return convert(setting, value, Path::of, "not a path");
  }

  /**
   * Builds a value whose constructor validates; what it refuses is recorded against {@code setting}
   * (a {@link ConfigException} against the settings it names) and null returned.
   */
  <T> T build(Setting setting, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (ConfigException e) {
      problems.add(e);
    } catch (IllegalArgumentException e) {
      problems.add(setting, e.getMessage());
    }
    return null;
  }

  /** Records a problem of {@code setting} found by comparing settings. */
  void problem(Setting setting, String message) {
    problems.add(setting, message + " (" + origin(setting) + ")");
  }

  /** Whether a source (file, environment, command line) gives the setting a value. */
  boolean isSet(Setting setting) {
    return sources.find(setting.key()).filter(found -> !found.value().isBlank()).isPresent();
  }

  boolean isValid(Setting setting) {
    return !problems.has(setting);
  }

  /** The parsed value if {@code rule} holds, else (the problem recorded) the default's. */
  private <T> T checked(
      Setting setting, Function<String, T> parser, Predicate<T> valid, String rule) {
    T value = parse(setting, parser);
    if (valid.test(value)) {
      return value;
    }
    problems.add(
        setting, rule + ", was " + shown(setting, string(setting)) + " (" + origin(setting) + ")");
    return parser.apply(setting.defaultValue());
  }

  private <T> Optional<T> convert(
      Setting setting, String value, Function<String, T> converter, String problem) {
    try {
      return Optional.of(converter.apply(value));
    } catch (IllegalArgumentException e) { // InvalidPathException too
      problems.add(setting, problem + ": '" + value + "'");
      return Optional.empty();
    }
  }

  private static URI toUri(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private String origin(Setting setting) {
    return sources.find(setting.key()).map(SettingSources.Found::origin).orElse("default");
  }

  private static String shown(Setting setting, String value) {
    return setting.secret() ? "****" : value;
  }
}
