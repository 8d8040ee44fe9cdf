package io.uploadstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker-compose.yml read as compose reads it, for what the tests look at. */
record ComposeFile(JsonNode root) {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{(\\w+)(?::?-([^}]*))?}|\\$(\\w+)");

  /** A volume mount of a service: a named volume or a host path, at {@code target}. */
  record Mount(String source, String target, boolean readOnly) {}

  static ComposeFile ofRepository() {
    return new ComposeFile(RepositoryFiles.yaml(RepositoryFiles.path("docker-compose.yml")));
  }

  Set<String> serviceNames() {
    Set<String> names = new TreeSet<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode service = root.path("services").path(name);
    if (service.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service '" + name + "'");
    }
    return service;
  }

  /** The service's environment (map or list form), variables replaced by their defaults. */
  Map<String, String> environment(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, String> result = new LinkedHashMap<>();
    if (env.isArray()) {
      env.forEach(
          entry -> {
            String[] parts = entry.asText().split("=", 2);
            result.put(parts[0], parts.length > 1 ? interpolate(parts[1]) : "");
          });
    } else {
      env.properties().forEach(e -> result.put(e.getKey(), interpolate(e.getValue().asText())));
    }
    return result;
  }

  List<Mount> mounts(String service) {
    List<Mount> mounts = new ArrayList<>();
    for (JsonNode volume : service(service).path("volumes")) {
      if (volume.isTextual()) {
        String[] parts = volume.asText().split(":", -1);
        boolean readOnly = parts.length > 2 && parts[2].contains("ro");
        mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0], readOnly));
      } else {
        mounts.add(
            new Mount(
                volume.path("source").asText(),
                volume.path("target").asText(),
                volume.path("read_only").asBoolean(false)));
      }
    }
    return mounts;
  }

  Set<String> namedVolumes() {
    Set<String> names = new TreeSet<>();
    root.path("volumes").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The condition a service waits for on a dependency, e.g. {@code service_healthy}. */
  Optional<String> dependsOnCondition(String service, String dependency) {
    JsonNode dependsOn = service(service).path("depends_on");
    if (dependsOn.isArray()) {
      for (JsonNode name : dependsOn) {
        if (name.asText().equals(dependency)) {
          return Optional.of("service_started");
        }
      }
      return Optional.empty();
    }
    JsonNode entry = dependsOn.path(dependency);
    return entry.isMissingNode()
        ? Optional.empty()
        : Optional.of(entry.path("condition").asText("service_started"));
  }

  /** The command as one text (list items joined), {@code $$} read as compose does. */
  String commandText(String service) {
    JsonNode command = service(service).path("command");
    List<String> parts = new ArrayList<>();
    if (command.isArray()) {
      command.forEach(part -> parts.add(part.asText()));
    } else {
      parts.add(command.asText());
    }
    return interpolate(String.join(" ", parts));
  }

  /** Compose interpolation with an empty environment: {@code ${X:-d}} is d, {@code $$} is $. */
  static String interpolate(String value) {
    Matcher matcher = VARIABLE.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          matcher.group().equals("$$") ? "$" : Optional.ofNullable(matcher.group(2)).orElse("");
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
