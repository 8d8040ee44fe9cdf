package io.uploadstream.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes {@code processor.properties} into the data directory at each start: the settings a further
 * processor needs to join the dev stack ({@code ./upload-stream run --config ...}), which would
 * otherwise take half a dozen {@code --set} flags.
 */
final class DevProperties {
  static final String FILE_NAME = "processor.properties";

  private DevProperties() {}

  /** Writes the file and returns its path, relative when {@code dataDir} is. */
  static Path write(Path dataDir, Map<String, String> properties) {
    Path file = dataDir.resolve(FILE_NAME);
    StringBuilder text = new StringBuilder();
    text.append("# Written by `upload-stream dev` at each start, for the stack it runs.\n")
        .append("# Another processor in its consumer group: ")
        .append(DevBanner.LAUNCHER)
        .append(" run --config ")
        .append(file)
        .append('\n')
        .append("# Its metrics port is free at start (metrics.port=0) and logged.\n");
    properties.forEach(
        (key, value) ->
            text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    try {
      Files.createDirectories(dataDir);
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }
}
