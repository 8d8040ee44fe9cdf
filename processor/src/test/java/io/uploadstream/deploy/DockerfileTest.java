package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.config.Setting;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Dockerfile builds the production jar and runs it the way the deployment files assume. */
class DockerfileTest {
  private final DockerfileInstructions dockerfile = DockerfileInstructions.ofRepository();
  private final DockerfileInstructions image = dockerfile.finalStage();

  @Test
  void baseImages_arePinnedToAVersion_andTheImageRunsOnAJreOnly() {
    assertThat(dockerfile.baseImages()).hasSizeGreaterThanOrEqualTo(2);
    for (String base : dockerfile.baseImages()) {
      assertThat(base).as("base image").matches("[\\w./-]+:[\\w.-]*\\d[\\w.-]*(@sha256:\\w+)?");
      assertThat(base).doesNotContain(":latest");
    }
    assertThat(image.baseImages().get(0)).contains("-jre");
  }

  @Test
  void build_makesTheProductionJar_withoutCompilingTheTests() {
    String build = String.join("\n", dockerfile.arguments("RUN"));
    // The processor module and what it depends on: the dev module (embedded servers) is not built.
    assertThat(build).contains("./mvnw -B -ntp -pl processor -am package");
    assertThat(build).contains("-Dmaven.test.skip=true");
    String copied = String.join("\n", dockerfile.arguments("COPY"));
    assertThat(copied).doesNotContain("dev/src").doesNotContain("src/test");
    List<String> keywords =
        dockerfile.all().stream().map(i -> i.keyword() + " " + i.arguments()).toList();
    int firstMaven = indexOf(keywords, "RUN ./mvnw");
    assertThat(firstMaven)
        .as("dependencies fetched in a layer before the sources are copied")
        .isBetween(0, indexOf(keywords, "COPY contract/src/main") - 1);
    assertThat(String.join("\n", image.arguments("COPY")))
        .contains("--from=build /src/processor/target/upload-stream.jar /app/upload-stream.jar");
  }

  private static int indexOf(List<String> instructions, String prefix) {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void image_runsAsANumericNonRootUser() {
    List<String> users = image.arguments("USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).split(":", -1)[0];
    assertThat(user).matches("\\d+");
    assertThat(Integer.parseInt(user)).isGreaterThan(0);
  }

  @Test
  void image_exposesTheMetricsPort_andStartsTheProcessor() {
    assertThat(image.arguments("EXPOSE")).contains(Setting.METRICS_PORT.defaultValue());
    assertThat(image.arguments("ENTRYPOINT"))
        .containsExactly("[\"java\",\"-jar\",\"/app/upload-stream.jar\"]");
    assertThat(image.arguments("CMD")).containsExactly("[\"run\"]");
    assertThat(String.join(" ", image.arguments("HEALTHCHECK"))).contains("/health/live");
  }

  @Test
  void jvm_sizesItsHeapFromTheContainer_andExitsOnOutOfMemory() {
    assertThat(dockerfile.maxRamPercentage()).isBetween(50.0, 80.0);
    assertThat(String.join(" ", image.arguments("ENV"))).contains("-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void dockerignore_keepsOutTheBuildOutput_butNothingTheBuildCopies() {
    List<String> ignored =
        Arrays.stream(RepositoryFiles.text(RepositoryFiles.path(".dockerignore")).split("\n"))
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.replaceAll("/+$", ""))
            .toList();
    assertThat(ignored).contains("target", ".git");
    for (String copy : dockerfile.arguments("COPY")) {
      if (copy.startsWith("--from")) {
        continue;
      }
      String[] parts = copy.split("\\s+", -1);
      for (int i = 0; i < parts.length - 1; i++) {
        String source = parts[i].replaceAll("/+$", "");
        assertThat(ignored)
            .as("COPY %s is excluded by .dockerignore", source)
            .noneMatch(pattern -> source.equals(pattern) || source.startsWith(pattern + "/"));
      }
    }
  }
}
