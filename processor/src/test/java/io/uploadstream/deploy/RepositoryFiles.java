package io.uploadstream.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Reads the repository's files (deployment files, README, examples): found from the module
 * directory Maven runs the tests in, as the directory with the Maven wrapper.
 */
public final class RepositoryFiles {
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new JsonMapper();

  private RepositoryFiles() {}

  public static Path root() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("schemas"))) {
        return dir;
      }
    }
    throw new IllegalStateException("tests must run inside the repository, not in " + start);
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /**
   * Every non-empty document of a YAML stream ({@code ---} separated). Read token by token: a
   * MappingIterator would unwrap a document that is a list into its items.
   */
  static List<JsonNode> yamlDocuments(String text) {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = YAML.createParser(text)) {
      while (parser.nextToken() != null) {
        JsonNode document = YAML.readTree(parser);
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** The release the project's version leads to (0.1.0 for 0.1.0-SNAPSHOT): the image's tag. */
  static String releaseVersion() {
    return projectVersion().replaceFirst("-SNAPSHOT$", "");
  }

  /** The project's version in pom.xml. */
  static String projectVersion() {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element project =
          factory.newDocumentBuilder().parse(path("pom.xml").toFile()).getDocumentElement();
      for (var child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element element && element.getTagName().equals("version")) {
          return element.getTextContent().trim();
        }
      }
      throw new IllegalStateException("pom.xml has no project version");
    } catch (Exception e) {
      throw new IllegalStateException("cannot read pom.xml", e);
    }
  }
}
