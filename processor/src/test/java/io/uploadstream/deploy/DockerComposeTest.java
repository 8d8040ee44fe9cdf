package io.uploadstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.uploadstream.config.Setting;
import io.uploadstream.config.SettingValues;
import io.uploadstream.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** docker-compose.yml (and monitoring/prometheus.yml) run the processors as the code expects. */
class DockerComposeTest {
  private static final String PROCESSOR = "processor";
  private static final String KAFKA = "kafka";
  private static final String TOPIC_INIT = "kafka-init";
  private static final String MINIO = "minio";
  private static final String BUCKET_INIT = "minio-init";
  private static final String PROMETHEUS = "prometheus";
  private static final Pattern CREATE_TOPIC =
      Pattern.compile("(?m)^\\s*create\\s+(\\S+)\\s+(\\d+)\\s*$");
  private static final Pattern MAKE_BUCKET = Pattern.compile("mc mb\\s+(?:--\\S+\\s+)*\\w+/(\\S+)");
  private static final Pattern DOCKER_BYTES = Pattern.compile("(?i)(\\d+)([bkmg]?)b?");

  private final ComposeFile compose = ComposeFile.ofRepository();

  private Settings processorSettings() {
    return ProcessorEnvironment.load(compose.environment(PROCESSOR));
  }

  @Test
  void services_includeTheWholeStack() {
    assertThat(compose.serviceNames())
        .contains(
            KAFKA, TOPIC_INIT, MINIO, BUCKET_INIT, PROCESSOR, PROMETHEUS, "submit", "results");
  }

  @Test
  void images_arePinnedToAVersion() {
    for (String name : compose.serviceNames()) {
      String image = compose.service(name).path("image").asText("");
      assertThat(image).as("image of service %s", name).contains(":");
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertThat(tag)
          .as("tag of %s's image %s", name, image)
          .isNotEqualTo("latest")
          .matches(".*\\d.*");
    }
  }

  @Test
  void processor_isBuiltFromTheDockerfile_taggedWithTheProjectVersion_inThreeReplicas() {
    JsonNode processor = compose.service(PROCESSOR);
    JsonNode build = processor.path("build");
    Path context = RepositoryFiles.path(build.path("context").asText());
    assertThat(context.normalize()).isEqualTo(RepositoryFiles.root());
    assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile"))).isRegularFile();
    assertThat(processor.path("image").asText())
        .isEqualTo("upload-stream:" + RepositoryFiles.releaseVersion());
    assertThat(processor.path("deploy").path("replicas").asInt()).isEqualTo(3);
    assertThat(processor.path("container_name").isMissingNode())
        .as("a fixed container_name would forbid replicas")
        .isTrue();
  }

  @Test
  void environment_namesOnlySettingsAndKafkaPassThroughs() {
    for (String name : compose.serviceNames()) {
      assertThat(ProcessorEnvironment.problems(compose.environment(name).keySet()))
          .as("environment of service %s", name)
          .isEmpty();
    }
  }

  @Test
  void processor_environment_setsTheRequiredSettings_andLoadsAsTheProcessorReadsIt() {
    Map<String, String> env = compose.environment(PROCESSOR);
    assertThat(env)
        .containsKeys(
            Setting.S3_BUCKET.envName(),
            Setting.PROCESSOR_ALLOWED_ROOTS.envName(),
            Setting.KAFKA_BOOTSTRAP_SERVERS.envName(),
            Setting.S3_ENDPOINT.envName(),
            Setting.S3_ACCESS_KEY.envName(),
            Setting.S3_SECRET_KEY.envName(),
            Setting.CDN_BASE_URL.envName())
        .containsEntry(Setting.S3_PATH_STYLE.envName(), "true");
    Settings settings = processorSettings(); // throws ConfigException on any bad value
    assertThat(settings.storage().connection().endpoint()).isNotNull();
    assertThat(settings.storage().connection().usesDefaultCredentials()).isFalse();
  }

  @Test
  void sharedVolume_isMountedAtEveryAllowedRoot_inTheProcessorAndTheSubmitTool() {
    Settings settings = processorSettings();
    for (Path root : settings.processor().allowedRoots()) {
      ComposeFile.Mount processorMount = mountAt(PROCESSOR, root.toString());
      assertThat(compose.namedVolumes())
          .as("the volume at %s must be a named volume all replicas share", root)
          .contains(processorMount.source());
      ComposeFile.Mount submitMount = mountAt("submit", root.toString());
      assertThat(submitMount.source()).isEqualTo(processorMount.source());
      assertThat(submitMount.readOnly()).as("submit's tool copies files onto it").isFalse();
    }
  }

  @Test
  void topicInit_createsExactlyTheTopicsTheProcessorUses_withAPartitionPerReplicaAtLeast() {
    Settings settings = processorSettings();
    Map<String, Integer> created = new LinkedHashMap<>();
    Matcher matcher = CREATE_TOPIC.matcher(compose.commandText(TOPIC_INIT));
    while (matcher.find()) {
      created.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }
    Set<String> expected = new LinkedHashSet<>();
    expected.add(settings.topics().requests());
    expected.add(settings.topics().results());
    expected.add(settings.topics().deadLetters());
    settings.topics().progress().ifPresent(expected::add);
    if (settings.processor().lanes().enabled()) {
      expected.add(settings.topics().largeRequests());
    }
    assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(created.get(settings.topics().requests()))
        .as("partitions of the request topic cap the useful replicas")
        .isGreaterThanOrEqualTo(compose.service(PROCESSOR).path("deploy").path("replicas").asInt());
    assertThat(compose.commandText(TOPIC_INIT))
        .contains("--bootstrap-server " + settings.kafka().bootstrapServers());
  }

  @Test
  void kafka_advertisesTheAddressTheProcessorsBootstrapFrom() {
    Map<String, String> kafka = compose.environment(KAFKA);
    List<String> advertised = new ArrayList<>();
    for (String listener : kafka.get("KAFKA_ADVERTISED_LISTENERS").split(",", -1)) {
      advertised.add(listener.substring(listener.indexOf("://") + 3));
    }
    assertThat(advertised).contains(processorSettings().kafka().bootstrapServers());
    assertThat(compose.environment("submit").get(Setting.KAFKA_BOOTSTRAP_SERVERS.envName()))
        .isIn(advertised);
    assertThat(kafka.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
  }

  @Test
  void startup_waitsForHealthyServicesAndFinishedInits() {
    assertThat(compose.service(KAFKA).path("healthcheck").path("test").isMissingNode()).isFalse();
    assertThat(compose.service(MINIO).path("healthcheck").path("test").isMissingNode()).isFalse();
    assertThat(compose.dependsOnCondition(TOPIC_INIT, KAFKA)).contains("service_healthy");
    assertThat(compose.dependsOnCondition(BUCKET_INIT, MINIO)).contains("service_healthy");
    assertThat(compose.dependsOnCondition(PROCESSOR, TOPIC_INIT))
        .contains("service_completed_successfully");
    assertThat(compose.dependsOnCondition(PROCESSOR, BUCKET_INIT))
        .contains("service_completed_successfully");
  }

  @Test
  void bucketInit_createsTheProcessorsBucket() {
    Matcher matcher = MAKE_BUCKET.matcher(compose.commandText(BUCKET_INIT));
    assertThat(matcher.find()).as("minio-init runs `mc mb ALIAS/BUCKET`").isTrue();
    assertThat(matcher.group(1)).isEqualTo(processorSettings().storage().bucket());
  }

  @Test
  void processor_getsMoreTimeToStopThanAStopTakes() {
    Duration stopGrace =
        SettingValues.parseDuration(
            compose.service(PROCESSOR).path("stop_grace_period").asText("10s"));
    assertThat(stopGrace).isGreaterThan(processorSettings().processor().stop().timeToStop());
  }

  @Test
  void processor_memoryLimit_leavesAHeapThatHoldsThePartBuffers() {
    Settings settings = processorSettings();
    String limit =
        compose
            .service(PROCESSOR)
            .path("deploy")
            .path("resources")
            .path("limits")
            .path("memory")
            .asText();
    long limitBytes = dockerBytes(limit);
    double percentage = DockerfileInstructions.ofRepository().maxRamPercentage();
    assertThat(MemoryBudget.heapBytes(limitBytes, percentage))
        .as(MemoryBudget.explain(settings, limitBytes, percentage))
        .isGreaterThanOrEqualTo(MemoryBudget.workingSetBytes(settings));
  }

  @Test
  void prometheus_scrapesEveryProcessorReplica_onTheMetricsPortAndPath() {
    Path config = prometheusConfigOnTheHost();
    JsonNode scrapeConfigs = RepositoryFiles.yaml(config).path("scrape_configs");
    JsonNode job =
        StreamSupport.stream(scrapeConfigs.spliterator(), false)
            .filter(j -> scrapesDnsName(j, PROCESSOR))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dns_sd_configs job for " + PROCESSOR));
    int port = processorSettings().ops().metricsPort();
    assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
    JsonNode dns = job.path("dns_sd_configs").get(0);
    assertThat(dns.path("type").asText("SRV")).as("A records: one per replica").isEqualTo("A");
    assertThat(dns.path("port").asInt()).isEqualTo(port);
    List<String> exposed = new ArrayList<>();
    compose.service(PROCESSOR).path("expose").forEach(p -> exposed.add(p.asText()));
    assertThat(exposed).contains(String.valueOf(port));
  }

  @Test
  void grafana_isProvisionedWithPrometheusAndTheDashboard() {
    List<ComposeFile.Mount> mounts = compose.mounts("grafana");
    assertThat(mounts)
        .extracting(ComposeFile.Mount::source)
        .contains(
            "./monitoring/grafana/provisioning",
            "./monitoring/grafana/upload-stream-dashboard.json");
    JsonNode datasource =
        RepositoryFiles.yaml(
                RepositoryFiles.path("monitoring/grafana/provisioning/datasources/prometheus.yml"))
            .path("datasources")
            .get(0);
    assertThat(datasource.path("url").asText()).isEqualTo("http://" + PROMETHEUS + ":9090");
    JsonNode provider =
        RepositoryFiles.yaml(
                RepositoryFiles.path(
                    "monitoring/grafana/provisioning/dashboards/upload-stream.yml"))
            .path("providers")
            .get(0);
    String dashboardDirectory = provider.path("options").path("path").asText();
    assertThat(mounts)
        .anySatisfy(
            m -> assertThat(m.target()).startsWith(dashboardDirectory + "/").endsWith(".json"));
  }

  private ComposeFile.Mount mountAt(String service, String target) {
    return compose.mounts(service).stream()
        .filter(m -> m.target().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + target));
  }

  private Path prometheusConfigOnTheHost() {
    String configFlag = "--config.file=";
    String inContainer = "/etc/prometheus/prometheus.yml";
    for (JsonNode arg : compose.service(PROMETHEUS).path("command")) {
      if (arg.asText().startsWith(configFlag)) {
        inContainer = arg.asText().substring(configFlag.length());
      }
    }
    String target = inContainer;
    ComposeFile.Mount mount = mountAt(PROMETHEUS, target);
    Path onHost = RepositoryFiles.path(mount.source());
    assertThat(onHost).isRegularFile();
    assertThat(Files.exists(RepositoryFiles.path("monitoring/prometheus.yml"))).isTrue();
    return onHost;
  }

  private static boolean scrapesDnsName(JsonNode job, String name) {
    for (JsonNode dns : job.path("dns_sd_configs")) {
      for (JsonNode n : dns.path("names")) {
        if (n.asText().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Docker's memory units: b, k, m, g, all powers of 1024. */
  static long dockerBytes(String text) {
    Matcher matcher = DOCKER_BYTES.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a Docker memory size: " + text);
    }
    long value = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> value << 10;
      case "m" -> value << 20;
      case "g" -> value << 30;
      default -> value;
    };
  }
}
