package io.uploadstream.cli;

import io.uploadstream.config.SettingsLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a command's settings come from: {@code --config FILE}, then {@code UPLOAD_STREAM_*}
 * environment variables, then {@code --set key=value} and {@code --bootstrap-servers}, each
 * overriding the one before.
 */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file with settings (see README); env UPLOAD_STREAM_* overrides it.")
  Path configFile;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (same as --set kafka.bootstrap.servers=...).")
  String bootstrapServers;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one setting, e.g. --set s3.bucket=uploads (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  SettingsLoader loader() {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (bootstrapServers != null) {
      all.put("kafka.bootstrap.servers", bootstrapServers);
    }
    return SettingsLoader.from(configFile, System.getenv()).withOverrides(all);
  }
}
