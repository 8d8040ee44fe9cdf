package io.uploadstream.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The schema files as they are in the repository's {@code schemas/} directory (found from the
 * module directory Maven runs the tests in), so tests prove the files users read, not a packaged
 * copy.
 */
final class RepositorySchemas {

  static final Path DIR = repositorySchemas();
  static final Path EXAMPLES = DIR.resolve("examples");
  static final Path INVALID_EXAMPLES = EXAMPLES.resolve("invalid");

  private RepositorySchemas() {}

  private static Path repositorySchemas() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("schemas"))) {
        return dir.resolve("schemas");
      }
    }
    throw new IllegalStateException("tests must run inside the repository, not in " + start);
  }

  static EventSchemas load() {
    try (InputStream request = Files.newInputStream(DIR.resolve(EventSchemas.REQUEST_SCHEMA));
        InputStream result = Files.newInputStream(DIR.resolve(EventSchemas.RESULT_SCHEMA));
        InputStream progress = Files.newInputStream(DIR.resolve(EventSchemas.PROGRESS_SCHEMA))) {
      return EventSchemas.read(request, result, progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
