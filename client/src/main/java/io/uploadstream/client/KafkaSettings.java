package io.uploadstream.client;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Properties handed to every Kafka client (without the {@code kafka.} prefix): bootstrap servers,
 * group id, and whatever else the user set (TLS, SASL, timeouts). Credentials are masked in {@code
 * toString()}.
 */
public record KafkaSettings(Map<String, String> clientProperties) {

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
    if (isBlank(clientProperties.get("bootstrap.servers"))) {
      throw new ConfigException(
          ClientSetting.KAFKA_BOOTSTRAP_SERVERS.key(), "must name at least one broker");
    }
  }

  /** Only the bootstrap servers; everything else is the Kafka clients' default. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(Map.of("bootstrap.servers", bootstrapServers));
  }

  public String bootstrapServers() {
    return clientProperties.get("bootstrap.servers");
  }

  public String groupId() {
    return clientProperties.getOrDefault("group.id", ClientSetting.KAFKA_GROUP_ID.defaultValue());
  }

  /**
   * A Kafka client config: {@code defaults}, overridden by the user's properties, overridden by
   * {@code required} (what the code depends on, e.g. manual commits). {@code group.id} is only
   * passed on when {@code defaults} or {@code required} mention it, since producers reject it.
   */
  public Map<String, Object> clientConfig(Map<String, ?> defaults, Map<String, ?> required) {
    Map<String, Object> config = new HashMap<>(defaults);
    clientProperties.forEach(
        (key, value) -> {
          if (!key.equals("group.id") || defaults.containsKey(key) || required.containsKey(key)) {
            config.put(key, value);
          }
        });
    config.putAll(required);
    return config;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach((k, v) -> shown.put(k, isSensitive(k) ? "****" : v));
    return "KafkaSettings" + shown;
  }

  /** Kafka's credential-bearing names: *.password, sasl.jaas.config, *.key, *secret*. */
  public static boolean isSensitive(String property) {
    String p = property.toLowerCase(Locale.ROOT);
    return p.contains("password")
        || p.contains("secret")
        || p.contains("jaas")
        || p.endsWith(".key")
        || p.contains("credentials")
        || p.contains("token");
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
