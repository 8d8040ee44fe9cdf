package io.uploadstream.config;

import io.uploadstream.client.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where setting values come from: environment variables ({@code UPLOAD_STREAM_...}) override the
 * properties file, which overrides the defaults. Each value remembers its origin so an error can
 * say which file or variable to fix.
 */
final class SettingSources {
  private static final String ENV_PREFIX = "UPLOAD_STREAM_";
  private static final String KAFKA_PREFIX = "kafka.";

  private final Map<String, String> properties;
  private final String fileOrigin;
  private final Map<String, String> env;
  private final Map<String, String> overrides;

  private SettingSources(
      Map<String, String> properties,
      String fileOrigin,
      Map<String, String> env,
      Map<String, String> overrides) {
    this.properties = Map.copyOf(properties);
    this.fileOrigin = fileOrigin;
    this.env = Map.copyOf(env);
    this.overrides = Map.copyOf(overrides);
  }

  /** The same sources with command-line overrides on top (they win over env and file). */
  SettingSources withOverrides(Map<String, String> commandLine) {
    Map<String, String> merged = new LinkedHashMap<>(overrides);
    merged.putAll(commandLine);
    return new SettingSources(properties, fileOrigin, env, merged);
  }

  static SettingSources of(Map<String, String> properties, Map<String, String> env) {
    return new SettingSources(properties, "properties", env, Map.of());
  }

  static SettingSources fromFile(Path configFile, Map<String, String> env) {
    if (!Files.isRegularFile(configFile)) {
      throw new ConfigException("--config", "no such file: " + configFile);
    }
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
      loaded.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--config", "cannot read " + configFile + ": " + e.getMessage());
    }
    Map<String, String> properties = new LinkedHashMap<>();
    loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
    return new SettingSources(properties, "file " + configFile, env, Map.of());
  }

  /** A value and where it came from, e.g. {@code env UPLOAD_STREAM_S3_BUCKET}. */
  record Found(String value, String origin) {}

  Optional<Found> find(String key) {
    String fromCommandLine = overrides.get(key);
    if (fromCommandLine != null) {
      return Optional.of(new Found(fromCommandLine.trim(), "command line"));
    }
    String envName = Setting.envName(key);
    String fromEnv = env.get(envName);
    if (fromEnv != null) {
      return Optional.of(new Found(fromEnv.trim(), "env " + envName));
    }
    String fromFile = properties.get(key);
    if (fromFile != null) {
      return Optional.of(new Found(fromFile.trim(), fileOrigin));
    }
    return Optional.empty();
  }

  /**
   * Names in the file or on the command line that are no setting (and no {@code kafka.*} property):
   * a misspelt setting is refused rather than silently left at its default. Variables are not
   * checked: the environment holds whatever else the machine sets.
   */
  Set<String> unknownNames() {
    Set<String> known = new HashSet<>();
    for (Setting setting : Setting.values()) {
      known.add(setting.key());
    }
    Set<String> unknown = new TreeSet<>();
    for (Map<String, String> source : List.of(properties, overrides)) {
      for (String name : source.keySet()) {
        if (!name.startsWith(KAFKA_PREFIX) && !known.contains(name)) {
          unknown.add(name);
        }
      }
    }
    return unknown;
  }

  /**
   * Every {@code kafka.*} property (prefix removed), from the file and from {@code
   * UPLOAD_STREAM_KAFKA_*} variables (underscores read as dots: Kafka names use only dots).
   */
  Map<String, String> kafkaProperties() {
    Map<String, String> result = new LinkedHashMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_PREFIX)) {
            result.put(key.substring(KAFKA_PREFIX.length()), value.trim());
          }
        });
    String envKafkaPrefix = ENV_PREFIX + "KAFKA_";
    Map<String, String> fromEnv = new LinkedHashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(envKafkaPrefix) && name.length() > envKafkaPrefix.length()) {
            String key =
                name.substring(envKafkaPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            fromEnv.put(key, value.trim());
          }
        });
    result.putAll(fromEnv);
    overrides.forEach(
        (key, value) -> {
          if (key.startsWith(KAFKA_PREFIX)) {
            result.put(key.substring(KAFKA_PREFIX.length()), value.trim());
          }
        });
    return result;
  }
}
