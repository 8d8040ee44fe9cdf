package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.uploadstream.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** k8s/: typed, strict manifests that run the processor as the code and the image expect. */
class KubernetesManifestsTest {
  static final Path K8S = RepositoryFiles.path("k8s");
  static final String PARTITIONS_ANNOTATION = "upload-stream.io/request-topic-partitions";

  private final KubernetesManifests all = KubernetesManifests.under(K8S);
  private final KubernetesManifests base = KubernetesManifests.under(K8S.resolve("base"));
  private final Deployment deployment = base.one("Deployment", Deployment.class);
  private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
  private final Container processor = pod.getContainers().get(0);

  @Test
  void everyDocument_parsesIntoItsTypedModel_orIsAKnownCustomResource() {
    assertThat(all.all()).hasSizeGreaterThanOrEqualTo(12);
    for (KubernetesManifests.Manifest manifest : all.all()) {
      String type = manifest.type();
      if (KubernetesYaml.hasModel(type)) {
        HasMetadata typed = KubernetesYaml.typed(manifest.node());
        assertThat(typed.getMetadata().getName()).as("name in %s", manifest.file()).isNotBlank();
      } else {
        assertThat(KubernetesYaml.STRUCTURAL)
            .as("%s in %s: no typed model and no structural check", type, manifest.file())
            .contains(type);
      }
    }
  }

  @Test
  void strictParsing_rejectsMisspelledFields_wrongTypes_andNumbersForStrings() {
    String deploymentHead = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n";
    assertThatThrownBy(() -> typed(deploymentHead + "spec: {replica: 3}"))
        .hasMessageContaining("replica");
    assertThatThrownBy(() -> typed(deploymentHead + "spec: {replicas: three}"))
        .hasMessageContaining("Integer");
    assertThatThrownBy(
            () ->
                typed(
                    deploymentHead
                        + "spec: {template: {spec: {containers: [{name: a, readinesProbe: {}}]}}}"))
        .hasMessageContaining("readinesProbe");
    assertThatThrownBy(
            () -> typed("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {A: 8}"))
        .hasMessageContaining("String");
  }

  @Test
  void kustomizations_listEveryManifestBesideThem_andOnlyThingsThatExist() {
    List<Path> kustomizations =
        KubernetesManifests.yamlFiles(K8S).stream()
            .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
            .toList();
    assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(4);
    for (Path file : kustomizations) {
      JsonNode kustomization = RepositoryFiles.yaml(file);
      Path directory = file.getParent();
      List<Path> listed = new ArrayList<>();
      for (String field : List.of("resources", "components")) {
        for (JsonNode entry : kustomization.path(field)) {
          Path target = directory.resolve(entry.asText()).normalize();
          assertThat(
                  Files.isRegularFile(target)
                      || Files.isRegularFile(target.resolve("kustomization.yaml")))
              .as("%s lists %s, which is neither a file nor a kustomization", file, entry.asText())
              .isTrue();
          listed.add(target);
        }
      }
      try (var siblings = Files.list(directory)) {
        siblings
            .filter(f -> f.toString().endsWith(".yaml") && !f.equals(file))
            .forEach(
                f -> assertThat(listed).as("%s must list %s", file, f.getFileName()).contains(f));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    JsonNode image =
        RepositoryFiles.yaml(K8S.resolve("base/kustomization.yaml")).path("images").get(0);
    assertThat(image.path("name").asText()).isEqualTo(processor.getImage());
    assertThat(image.path("newTag").asText()).isEqualTo(RepositoryFiles.releaseVersion());
  }

  @Test
  void deployment_probesHitTheHealthEndpoints_onTheMetricsPort() {
    int metricsPort = settings().ops().metricsPort();
    ContainerPort port = processor.getPorts().get(0);
    assertThat(port.getContainerPort()).isEqualTo(metricsPort);
    assertProbe(processor.getLivenessProbe(), "/health/live", port);
    assertProbe(processor.getReadinessProbe(), "/health/ready", port);
    assertProbe(processor.getStartupProbe(), "/health/live", port);
  }

  @Test
  void deployment_runsAsTheImagesNonRootUser_readOnly_withoutPrivileges() {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    List<String> users = DockerfileInstructions.ofRepository().finalStage().arguments("USER");
    String imageUser = users.get(users.size() - 1).split(":", -1)[0];
    assertThat(String.valueOf(pod.getSecurityContext().getRunAsUser())).isEqualTo(imageUser);
    var security = processor.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    VolumeMount tmp = mountAt("/tmp");
    assertThat(volume(tmp.getName()).getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
  }

  @Test
  void deployment_memory_leavesAHeapThatHoldsThePartBuffers() {
    Settings settings = settings();
    Map<String, Quantity> requests = processor.getResources().getRequests();
    Map<String, Quantity> limits = processor.getResources().getLimits();
    assertThat(requests).containsKeys("cpu", "memory");
    assertThat(limits).containsKeys("cpu", "memory");
    long limitBytes = limits.get("memory").getNumericalAmount().longValueExact();
    assertThat(requests.get("memory").getNumericalAmount().longValueExact())
        .as("memory request = limit: the heap is sized from the limit")
        .isEqualTo(limitBytes);
    double percentage = DockerfileInstructions.ofRepository().maxRamPercentage();
    assertThat(MemoryBudget.heapBytes(limitBytes, percentage))
        .as(MemoryBudget.explain(settings, limitBytes, percentage))
        .isGreaterThanOrEqualTo(MemoryBudget.workingSetBytes(settings));
  }

  @Test
  void deployment_mountsTheSharedClaim_readOnly_atEveryAllowedRoot() {
    PersistentVolumeClaim claim = base.one("PersistentVolumeClaim", PersistentVolumeClaim.class);
    assertThat(claim.getSpec().getAccessModes()).contains("ReadWriteMany");
    List<Path> roots = settings().processor().allowedRoots();
    assertThat(roots).isNotEmpty();
    for (Path root : roots) {
      VolumeMount mount = mountAt(root.toString());
      assertThat(mount.getReadOnly()).isTrue();
      var source = volume(mount.getName()).getPersistentVolumeClaim();
      assertThat(source).as("the volume at %s is the shared claim", root).isNotNull();
      assertThat(source.getClaimName()).isEqualTo(claim.getMetadata().getName());
    }
  }

  @Test
  void deployment_environment_namesOnlySettings_andLoadsAsTheProcessorReadsIt() {
    Map<String, String> env = environment();
    assertThat(ProcessorEnvironment.problems(env.keySet())).isEmpty();
    Settings settings = ProcessorEnvironment.load(env); // throws ConfigException on a bad value
    assertThat(settings.storage().bucket()).isNotBlank();
    assertThat(settings.storage().connection().accessKey()).isNotNull();
    assertThat(settings.storage().connection().secretKey()).isNotNull();
  }

  @Test
  void deployment_instanceId_isThePodName() {
    EnvVar instanceId =
        processor.getEnv().stream()
            .filter(e -> e.getName().equals("UPLOAD_STREAM_PROCESSOR_INSTANCE_ID"))
            .findFirst()
            .orElseThrow();
    assertThat(instanceId.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
  }

  @Test
  void deployment_readsOnlySecretKeysAndConfigMapsThatExist() {
    Secret secret = base.one("Secret", Secret.class);
    ConfigMap configMap = base.one("ConfigMap", ConfigMap.class);
    for (EnvVar var : processor.getEnv()) {
      var secretRef = var.getValueFrom() == null ? null : var.getValueFrom().getSecretKeyRef();
      if (secretRef != null) {
        assertThat(secretRef.getName()).isEqualTo(secret.getMetadata().getName());
        assertThat(secretKeys(secret)).as("key of %s", var.getName()).contains(secretRef.getKey());
      }
    }
    for (EnvFromSource from : processor.getEnvFrom()) {
      assertThat(from.getConfigMapRef().getName()).isEqualTo(configMap.getMetadata().getName());
    }
  }

  @Test
  void deployment_givesInFlightUploadsTheirShutdownGrace_beforeTheKill() {
    Duration kill = Duration.ofSeconds(pod.getTerminationGracePeriodSeconds());
    assertThat(kill).isGreaterThan(settings().processor().stop().timeToStop());
  }

  @Test
  void serviceAndDisruptionBudget_selectTheProcessorPods() {
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    Service service = base.one("Service", Service.class);
    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
    var port = service.getSpec().getPorts().get(0);
    assertThat(port.getPort()).isEqualTo(settings().ops().metricsPort());
    assertThat(port.getTargetPort().getStrVal()).isEqualTo(processor.getPorts().get(0).getName());
    PodDisruptionBudget budget = base.one("PodDisruptionBudget", PodDisruptionBudget.class);
    assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void replicas_andAutoscalerMaxima_neverExceedTheRequestTopicsPartitions() {
    int partitions = requestTopicPartitions();
    assertThat(deployment.getSpec().getReplicas()).isBetween(1, partitions);
    JsonNode scaledObject = all.one("ScaledObject").node().path("spec");
    assertThat(scaledObject.path("minReplicaCount").asInt())
        .isBetween(1, scaledObject.path("maxReplicaCount").asInt());
    assertThat(scaledObject.path("maxReplicaCount").asInt()).isBetween(1, partitions);
    HorizontalPodAutoscaler hpa = all.one("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getMaxReplicas())
        .isBetween(hpa.getSpec().getMinReplicas(), partitions);
  }

  @Test
  void keda_scalesTheDeployment_onTheProcessorsConsumerLag_ofBothLanes_andPendingBytes() {
    KubernetesManifests.Manifest scaledObject = all.one("ScaledObject");
    assertThat(scaledObject.type()).isEqualTo("keda.sh/v1alpha1/ScaledObject");
    JsonNode spec = scaledObject.node().path("spec");
    assertThat(spec.path("scaleTargetRef").path("name").asText())
        .isEqualTo(deployment.getMetadata().getName());
    assertThat(spec.path("scaleTargetRef").path("kind").asText("Deployment"))
        .isEqualTo("Deployment");
    Settings settings = settings();
    Map<String, String> groupByTopic = new HashMap<>();
    for (JsonNode kafka : KedaTriggers.all(spec, "kafka")) {
      assertThat(kafka.path("bootstrapServers").asText())
          .isEqualTo(settings.kafka().bootstrapServers());
      assertThat(Integer.parseInt(kafka.path("lagThreshold").asText())).isPositive();
      groupByTopic.put(kafka.path("topic").asText(), kafka.path("consumerGroup").asText());
    }
    assertThat(settings.processor().lanes().enabled()).isTrue();
    assertThat(groupByTopic)
        .as("a lag trigger per lane, each with the group that consumes its topic")
        .isEqualTo(
            Map.of(
                settings.topics().requests(),
                settings.kafka().groupId(),
                settings.topics().largeRequests(),
                settings.kafka().groupId() + ".large"));
    JsonNode prometheus = KedaTriggers.metadata(spec, "prometheus");
    assertThat(prometheus.path("serverAddress").asText()).matches("https?://[^/\\s]+(/.*)?");
    String query = prometheus.path("query").asText();
    assertThat(PromQl.metricNames(query)).containsExactly(ProcessorMetrics.PENDING_BYTES);
    assertThat(Double.parseDouble(prometheus.path("threshold").asText())).isPositive();
  }

  @Test
  void keda_triggerMetadata_usesOnlyFieldsTheScalersKnow_allAsStrings() {
    JsonNode triggers = all.one("ScaledObject").node().path("spec").path("triggers");
    assertThat(triggers).isNotEmpty();
    for (JsonNode trigger : triggers) {
      assertThat(KedaTriggers.problems(trigger)).isEmpty();
    }
    JsonNode typo =
        RepositoryFiles.yamlDocuments(
                "type: kafka\nmetadata: {bootstrapServers: k, consumerGroup: g, lagTreshold: '5'}")
            .get(0);
    assertThat(KedaTriggers.problems(typo)).hasSize(1);
    JsonNode number =
        RepositoryFiles.yamlDocuments(
                "type: kafka\nmetadata: {bootstrapServers: k, consumerGroup: g, lagThreshold: 5}")
            .get(0);
    assertThat(KedaTriggers.problems(number)).hasSize(1);
  }

  @Test
  void hpa_scalesTheDeployment_onMetricsTheProcessorExposes() {
    HorizontalPodAutoscaler hpa = all.one("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName())
        .isEqualTo(deployment.getMetadata().getName());
    List<String> custom = new ArrayList<>();
    for (MetricSpec metric : hpa.getSpec().getMetrics()) {
      switch (metric.getType()) {
        case "Pods" -> custom.add(metric.getPods().getMetric().getName());
        case "External" -> custom.add(metric.getExternal().getMetric().getName());
        case "Resource" -> assertThat(metric.getResource().getName()).isIn("cpu", "memory");
        default -> fail("unexpected metric type " + metric.getType());
      }
    }
    assertThat(custom).contains(ProcessorMetrics.PENDING_BYTES);
    assertThat(custom).allMatch(ProcessorMetrics::exposed);
  }

  @Test
  void autoscalingOverlays_buildOnTheBase_andLeaveTheReplicaCountToTheAutoscaler() {
    for (String overlay : List.of("keda", "hpa")) {
      JsonNode kustomization =
          RepositoryFiles.yaml(
              K8S.resolve("autoscaling").resolve(overlay).resolve("kustomization.yaml"));
      List<String> resources = new ArrayList<>();
      kustomization.path("resources").forEach(r -> resources.add(r.asText()));
      assertThat(resources).as(overlay).contains("../../base");
      assertThat(kustomization.path("namespace").asText()).isEqualTo(namespace());
      JsonNode patch = kustomization.path("patches").get(0);
      assertThat(patch.path("target").path("kind").asText()).isEqualTo("Deployment");
      assertThat(patch.path("target").path("name").asText())
          .isEqualTo(deployment.getMetadata().getName());
      JsonNode operation =
          RepositoryFiles.yamlDocuments(patch.path("patch").asText()).get(0).get(0);
      assertThat(operation.path("op").asText()).isEqualTo("remove");
      assertThat(operation.path("path").asText()).isEqualTo("/spec/replicas");
    }
  }

  @Test
  void serviceMonitor_scrapesTheMetricsPortOfTheService() {
    Service service = base.one("Service", Service.class);
    JsonNode spec = all.one("ServiceMonitor").node().path("spec");
    spec.path("selector")
        .path("matchLabels")
        .properties()
        .forEach(
            label ->
                assertThat(service.getMetadata().getLabels())
                    .containsEntry(label.getKey(), label.getValue().asText()));
    JsonNode endpoint = spec.path("endpoints").get(0);
    assertThat(endpoint.path("port").asText())
        .isEqualTo(service.getSpec().getPorts().get(0).getName());
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
  }

  // ---------------------------------------------------------------------------------------------

  private static HasMetadata typed(String yaml) {
    return KubernetesYaml.typed(RepositoryFiles.yamlDocuments(yaml).get(0));
  }

  private String namespace() {
    return base.one("Namespace").name();
  }

  private int requestTopicPartitions() {
    String value = deployment.getMetadata().getAnnotations().get(PARTITIONS_ANNOTATION);
    assertThat(value).as("the Deployment's %s annotation", PARTITIONS_ANNOTATION).isNotNull();
    return Integer.parseInt(value);
  }

  private Settings settings() {
    return ProcessorEnvironment.load(environment());
  }

  /** The processor's environment as the kubelet would build it (the pod name made up). */
  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    ConfigMap configMap = base.one("ConfigMap", ConfigMap.class);
    Secret secret = base.one("Secret", Secret.class);
    for (EnvFromSource from : processor.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        assertThat(from.getConfigMapRef().getName()).isEqualTo(configMap.getMetadata().getName());
        env.putAll(configMap.getData());
      }
    }
    for (EnvVar var : processor.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        secretValue(secret, var.getValueFrom().getSecretKeyRef().getKey())
            .ifPresent(value -> env.put(var.getName(), value));
      } else if (var.getValueFrom().getFieldRef() != null) {
        env.put(var.getName(), "upload-stream-5d4f8b7c9-x2x4q");
      } else {
        fail("cannot resolve env " + var.getName());
      }
    }
    return env;
  }

  private static Set<String> secretKeys(Secret secret) {
    Set<String> keys = new java.util.TreeSet<>();
    Optional.ofNullable(secret.getStringData()).map(Map::keySet).ifPresent(keys::addAll);
    Optional.ofNullable(secret.getData()).map(Map::keySet).ifPresent(keys::addAll);
    return keys;
  }

  private static Optional<String> secretValue(Secret secret, String key) {
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key));
    }
    return Optional.ofNullable(secret.getData())
        .map(data -> data.get(key))
        .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
  }

  private VolumeMount mountAt(String path) {
    return processor.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the processor mounts nothing at " + path));
  }

  private Volume volume(String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static void assertProbe(Probe probe, String path, ContainerPort port) {
    assertThat(probe).as("probe for %s", path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    var probePort = probe.getHttpGet().getPort();
    if (probePort.getStrVal() != null) {
      assertThat(probePort.getStrVal()).isEqualTo(port.getName());
    } else {
      assertThat(probePort.getIntVal()).isEqualTo(port.getContainerPort());
    }
  }
}
