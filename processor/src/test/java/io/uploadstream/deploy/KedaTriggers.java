package io.uploadstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metadata of KEDA's kafka and prometheus triggers (keda.sh scaler docs, 2.12+): KEDA has no
 * fabric8 model, so a misspelled field would be silently ignored, and KEDA reads every value as a
 * string (an unquoted number fails the CRD's schema).
 */
final class KedaTriggers {
  private static final Map<String, Set<String>> REQUIRED =
      Map.of(
          "kafka", Set.of("bootstrapServers", "consumerGroup"),
          "prometheus", Set.of("serverAddress", "query", "threshold"));
  private static final Map<String, Set<String>> KNOWN =
      Map.of(
          "kafka",
          Set.of(
              "bootstrapServers",
              "consumerGroup",
              "topic",
              "lagThreshold",
              "activationLagThreshold",
              "offsetResetPolicy",
              "allowIdleConsumers",
              "scaleToZeroOnInvalidOffset",
              "excludePersistentLag",
              "limitToPartitionsWithLag",
              "ensureEvenDistributionOfPartitions",
              "partitionLimitation",
              "version",
              "sasl",
              "tls",
              "unsafeSsl"),
          "prometheus",
          Set.of(
              "serverAddress",
              "query",
              "queryParameters",
              "threshold",
              "activationThreshold",
              "namespace",
              "customHeaders",
              "ignoreNullValues",
              "unsafeSsl",
              "authModes"));

  private KedaTriggers() {}

  /** The metadata of every trigger of this type in a ScaledObject's spec. */
  static List<JsonNode> all(JsonNode scaledObjectSpec, String type) {
    List<JsonNode> found = new ArrayList<>();
    scaledObjectSpec
        .path("triggers")
        .forEach(
            t -> {
              if (t.path("type").asText().equals(type)) {
                found.add(t.path("metadata"));
              }
            });
    return found;
  }

  /** The metadata of the only trigger of this type in a ScaledObject's spec. */
  static JsonNode metadata(JsonNode scaledObjectSpec, String type) {
    List<JsonNode> found = new ArrayList<>();
    scaledObjectSpec
        .path("triggers")
        .forEach(
            t -> {
              if (t.path("type").asText().equals(type)) {
                found.add(t.path("metadata"));
              }
            });
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type + " trigger, found " + found.size());
    }
    return found.get(0);
  }

  static List<String> problems(JsonNode trigger) {
    String type = trigger.path("type").asText();
    List<String> problems = new ArrayList<>();
    if (!KNOWN.containsKey(type)) {
      return List.of("trigger type '" + type + "' is not checked here");
    }
    JsonNode metadata = trigger.path("metadata");
    metadata
        .properties()
        .forEach(
            field -> {
              if (!KNOWN.get(type).contains(field.getKey())) {
                problems.add(type + " trigger: unknown metadata field '" + field.getKey() + "'");
              } else if (!field.getValue().isTextual()) {
                problems.add(
                    type + " trigger: '" + field.getKey() + "' must be a string (quote it)");
              }
            });
    REQUIRED.get(type).stream()
        .filter(name -> !metadata.has(name))
        .forEach(name -> problems.add(type + " trigger: '" + name + "' is required"));
    return problems;
  }
}
