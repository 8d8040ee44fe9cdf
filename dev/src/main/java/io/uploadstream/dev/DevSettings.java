package io.uploadstream.dev;

import io.uploadstream.config.Setting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dev stack's settings: of its broker (short sessions), of its processor (the embedded servers,
 * a static group membership, a short group session), and of further processors that join it.
 */
final class DevSettings {
  /**
   * A member that vanished without leaving (a crash, kill -9) holds its partitions until its
   * session expires: 45 s by default, 10 s here, so a restarted dev stack is assigned quickly.
   */
  static final Map<String, String> GROUP_SESSION =
      Map.of("kafka.session.timeout.ms", "10000", "kafka.heartbeat.interval.ms", "1000");

  /**
   * The dev processor is a static member of its group: started again, even after a crash, it takes
   * its place back at once instead of waiting for the old member's session to expire.
   */
  static final String STATIC_MEMBER = "kafka.group.instance.id";

  /**
   * After a crash (kill -9) the restarted broker may not register again until the controller has
   * fenced its old incarnation, when its session expires: 9 s by default, 4 s here. A clean stop
   * deregisters it, so a normal restart does not wait at all.
   */
  static final Map<String, String> BROKER_SESSION =
      Map.of("broker.session.timeout.ms", "4000", "broker.heartbeat.interval.ms", "1000");

  /**
   * The settings of a further processor for this stack: the dev processor's, with the instance id
   * left to the default (unique per process), a dynamic group membership and a free metrics port.
   */
  static Map<String, String> furtherProcessor(Map<String, String> devProcessor) {
    Map<String, String> further = new LinkedHashMap<>(devProcessor);
    further.remove(Setting.PROCESSOR_INSTANCE_ID.key());
    further.remove(STATIC_MEMBER);
    further.put(Setting.METRICS_PORT.key(), "0");
    return further;
  }

  /**
   * {@code --set} settings with those of {@code dev --consumption} under them ({@code --set} wins).
   * A share group gets an id of its own: the data dir may keep the consumer group of an earlier
   * {@code dev} run, and one id cannot be both.
   */
  static Map<String, String> withConsumption(String consumption, Map<String, String> set) {
    if (consumption == null) {
      return set;
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Setting.PROCESSOR_CONSUMPTION.key(), consumption);
    if ("share".equalsIgnoreCase(consumption.trim())) {
      settings.put(Setting.KAFKA_GROUP_ID.key(), "dev-share");
    }
    settings.putAll(set);
    return settings;
  }

  /** The dev processor's settings, as properties. */
  static Map<String, String> processor(
      DevStack.Options options, EmbeddedKafka kafka, EmbeddedS3 s3, DevCdn cdn) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("s3.endpoint", s3.endpoint().toString());
    props.put("s3.path-style", "true");
    props.put("s3.bucket", DevStack.BUCKET);
    props.put("s3.access-key", s3.accessKey());
    props.put("s3.secret-key", s3.secretKey());
    props.put("cdn.base-url", cdn.baseUrl());
    props.put("topics.progress", DevStack.PROGRESS_TOPIC);
    props.put(
        "processor.allowed-roots",
        options.allowedRoots().stream()
            .map(p -> p.toAbsolutePath().toString())
            .collect(Collectors.joining(",")));
    props.put("processor.instance-id", "dev");
    props.put("processor.shutdown-grace", "10s");
    int metricsPort = options.metricsPort() == 0 ? 0 : DevStack.portOrFree(options.metricsPort());
    props.put("metrics.port", String.valueOf(metricsPort));
    props.putAll(GROUP_SESSION);
    props.put(STATIC_MEMBER, "dev");
    props.putAll(options.extraSettings());
    return props;
  }

  private DevSettings() {}
}
