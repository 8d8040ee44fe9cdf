package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.uploadstream.config.Consumption;
import io.uploadstream.config.Settings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user applies: each kustomization rendered by {@code kubectl kustomize} (skipped where no
 * kubectl is installed), every object strictly typed, all in the namespace, the image pinned.
 */
class KustomizeBuildTest {

  @ParameterizedTest
  @ValueSource(strings = {"base", "autoscaling/keda", "autoscaling/hpa", "autoscaling/share"})
  void kustomization_rendersStrictlyValidObjects_inTheNamespace(String directory) {
    KubernetesManifests rendered = KubernetesManifests.of(kustomize(directory));
    assertThat(rendered.all()).hasSizeGreaterThanOrEqualTo(7);
    String namespace = rendered.one("Namespace").name();
    for (KubernetesManifests.Manifest manifest : rendered.all()) {
      if (KubernetesYaml.hasModel(manifest.type())) {
        KubernetesYaml.typed(manifest.node());
      }
      if (!manifest.kind().equals("Namespace")) {
        assertThat(manifest.node().path("metadata").path("namespace").asText())
            .as("namespace of %s %s", manifest.kind(), manifest.name())
            .isEqualTo(namespace);
      }
    }
    Deployment deployment = rendered.one("Deployment", Deployment.class);
    String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    assertThat(image).contains("/").endsWith(":" + RepositoryFiles.releaseVersion());
    if (directory.startsWith("autoscaling/")) {
      assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns replicas").isNull();
    }
  }

  @Test
  void shareOverlay_runsShareConsumption_andScalesOnTheExportedBacklog_notOnConsumerLag() {
    KubernetesManifests rendered = KubernetesManifests.of(kustomize("autoscaling/share"));
    Map<String, String> config =
        new HashMap<>(rendered.one("ConfigMap", ConfigMap.class).getData());
    config.put("UPLOAD_STREAM_S3_ACCESS_KEY", "k"); // from the Secret in a pod
    config.put("UPLOAD_STREAM_S3_SECRET_KEY", "s");
    Settings settings = ProcessorEnvironment.load(config);
    assertThat(settings.processor().consumption()).isEqualTo(Consumption.SHARE);
    assertThat(settings.kafka().groupId()).isNotEqualTo("upload-stream"); // the consumer group's
    JsonNode spec = rendered.one("ScaledObject").node().path("spec");
    List<String> metrics = new ArrayList<>();
    for (JsonNode trigger : spec.path("triggers")) {
      assertThat(trigger.path("type").asText())
          .as("KEDA's kafka scaler reads consumer groups")
          .isEqualTo("prometheus");
      assertThat(KedaTriggers.problems(trigger)).isEmpty();
      metrics.addAll(PromQl.metricNames(trigger.path("metadata").path("query").asText()));
    }
    assertThat(metrics)
        .contains("uploadstream_share_pending_records")
        .allMatch(ProcessorMetrics::exposed);
    Deployment deployment = rendered.one("Deployment", Deployment.class);
    int partitions =
        Integer.parseInt(
            deployment
                .getMetadata()
                .getAnnotations()
                .get(KubernetesManifestsTest.PARTITIONS_ANNOTATION));
    assertThat(spec.path("maxReplicaCount").asInt())
        .as("share groups scale past the partition count")
        .isGreaterThan(partitions);
  }

  private static String kustomize(String directory) {
    Path kubectl = onPath("kubectl");
    assumeTrue(kubectl != null, "kubectl is not installed");
    try {
      Process process =
          new ProcessBuilder(
                  kubectl.toString(),
                  "kustomize",
                  KubernetesManifestsTest.K8S.resolve(directory).toString())
              .redirectErrorStream(true)
              .start();
      byte[] output = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String text = new String(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("kubectl kustomize %s: %s", directory, text).isZero();
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }
}
