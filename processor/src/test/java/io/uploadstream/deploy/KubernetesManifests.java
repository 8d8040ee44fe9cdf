package io.uploadstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every YAML document under a directory (k8s/), with the file it came from. */
record KubernetesManifests(List<Manifest> all) {

  record Manifest(Path file, JsonNode node) {
    String type() {
      return KubernetesYaml.typeOf(node);
    }

    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    <T extends HasMetadata> T typed(Class<T> model) {
      return KubernetesYaml.typed(node, model);
    }
  }

  static KubernetesManifests under(Path directory) {
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : yamlFiles(directory)) {
      RepositoryFiles.yamlDocuments(RepositoryFiles.text(file))
          .forEach(node -> manifests.add(new Manifest(file, node)));
    }
    return new KubernetesManifests(List.copyOf(manifests));
  }

  static KubernetesManifests of(String yamlStream) {
    return new KubernetesManifests(
        RepositoryFiles.yamlDocuments(yamlStream).stream()
            .map(node -> new Manifest(Path.of("-"), node))
            .toList());
  }

  static List<Path> yamlFiles(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Manifest> ofKind(String kind) {
    return all.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  /** The only object of this kind under the directory (or fails). */
  Manifest one(String kind) {
    List<Manifest> found = ofKind(kind);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", found " + found.size());
    }
    return found.get(0);
  }

  <T extends HasMetadata> T one(String kind, Class<T> model) {
    return one(kind).typed(model);
  }
}
