package io.uploadstream.client.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README shows the client's coordinates and a Java example that compiles: {@link PublishAndAwait}.
 */
class ReadmeExampleTest {
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path README = MODULE.getParent().resolve("README.md");

  @Test
  void readme_showsTheCompiledExample_lineForLine() throws IOException {
    String source =
        Files.readString(
            MODULE.resolve("src/test/java/io/uploadstream/client/example/PublishAndAwait.java"));
    String between =
        source.substring(
            source.indexOf("// README:start\n") + "// README:start\n".length(),
            source.indexOf("    // README:end"));
    String example =
        Arrays.stream(between.split("\n"))
            .map(line -> line.length() >= 4 ? line.substring(4) : line.strip())
            .collect(Collectors.joining("\n", "", "\n"));

    assertThat(Files.readString(README)).contains("```java\n" + example + "```");
  }

  @Test
  void readme_showsTheClientsMavenCoordinates() throws IOException {
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    String version = between(pom, "<version>", "</version>");

    assertThat(Files.readString(README))
        .contains(
            "<dependency>\n"
                + "  <groupId>io.uploadstream</groupId>\n"
                + "  <artifactId>upload-stream-client</artifactId>\n"
                + "  <version>"
                + version
                + "</version>\n"
                + "</dependency>");
  }

  /**
   * The first text between {@code open} and {@code close}: the parent's version in a module pom.
   */
  private static String between(String text, String open, String close) {
    int start = text.indexOf(open) + open.length();
    return text.substring(start, text.indexOf(close, start));
  }
}
