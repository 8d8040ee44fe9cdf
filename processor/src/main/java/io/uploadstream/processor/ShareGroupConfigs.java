package io.uploadstream.processor;

import io.uploadstream.client.ConfigException;
import io.uploadstream.config.Setting;
import io.uploadstream.config.ShareSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-group configs the processor depends on, set (or only checked) before the first member
 * joins, so a group or broker that refuses them stops the processor at start with a message naming
 * what to fix — not later, when a renewal is refused in a way the client cannot tell from a lost
 * lock. The group id must not belong to a consumer group.
 */
final class ShareGroupConfigs {
  private static final Logger log = LoggerFactory.getLogger(ShareGroupConfigs.class);
  static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
  static final String RENEW_ENABLE = "share.renew.acknowledge.enable";
  static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";
  static final String LOCK_DURATION = "share.record.lock.duration.ms";

  /** A config set with Admin reaches describeConfigs through the metadata log, a moment later. */
  private static final Duration PROPAGATION = Duration.ofSeconds(10);

  private final Admin admin;
  private final String group;
  private final ShareSettings settings;
  private final Duration timeout;

  ShareGroupConfigs(Admin admin, String group, ShareSettings settings, Duration timeout) {
    this.admin = admin;
    this.group = group;
    this.settings = settings;
    this.timeout = timeout;
  }

  /** The configs the processor needs, each with the value it needs. */
  static Map<String, String> required(ShareSettings settings) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(AUTO_OFFSET_RESET, "earliest");
    wanted.put(RENEW_ENABLE, "true");
    wanted.put(DELIVERY_COUNT_LIMIT, String.valueOf(settings.deliveryLimit()));
    settings.lockDuration().ifPresent(lock -> wanted.put(LOCK_DURATION, "" + lock.toMillis()));
    return wanted;
  }

  /**
   * Makes sure the group has the configs; returns the lock duration it has.
   *
   * @throws ConfigException naming the setting to fix when the group id is a consumer group's, the
   *     broker refuses a value, the processor may not set them, or (with {@code
   *     share.set-group-configs=false}) the group has other values
   */
  Duration apply() {
    checkNotAConsumerGroup();
    Map<String, String> wanted = required(settings);
    if (settings.setGroupConfigs()) {
      set(wanted);
    }
    Map<String, String> actual = awaitValues(wanted);
    wanted.forEach(
        (name, value) -> {
          if (!value.equals(actual.get(name))) {
            throw mismatch(name, value, actual.get(name));
          }
        });
    log.info("share group {} has the configs the processor needs: {}", group, wanted);
    return Optional.ofNullable(actual.get(LOCK_DURATION))
        .map(ms -> Duration.ofMillis(Long.parseLong(ms)))
        .orElse(ShareTiming.KAFKA_DEFAULT_LOCK);
  }

  private void checkNotAConsumerGroup() {
    Collection<GroupListing> groups = get(admin.listGroups().all(), "list the groups");
    for (GroupListing listing : groups) {
      if (listing.groupId().equals(group)
          && listing.type().filter(type -> type != GroupType.SHARE).isPresent()) {
        throw new ConfigException(
            Setting.KAFKA_GROUP_ID.key(),
            "'"
                + group
                + "' is a "
                + listing.type().get()
                + " group; a share group needs an id of its own (set kafka.group.id, or delete"
                + " the old group once it has no members)");
      }
    }
  }

  private void set(Map<String, String> wanted) {
    List<AlterConfigOp> ops =
        wanted.entrySet().stream()
            .map(
                e ->
                    new AlterConfigOp(
                        new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
            .toList();
    try {
      get(admin.incrementalAlterConfigs(Map.of(resource(), ops)).all(), "set the group configs");
    } catch (ConfigException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthorizationException) {
        throw new ConfigException(
            Setting.SHARE_SET_GROUP_CONFIGS.key(),
            "may not set the configs of share group '"
                + group
                + "' (needs ALTER_CONFIGS on the group): "
                + cause.getMessage()
                + "; set share.set-group-configs=false and have an operator set "
                + wanted);
      }
      throw e;
    }
  }

  /** The group's values of {@code wanted}'s names, once they match or {@link #PROPAGATION} ends. */
  private Map<String, String> awaitValues(Map<String, String> wanted) {
    long deadline = System.nanoTime() + PROPAGATION.toNanos();
    while (true) {
      Map<String, String> actual = describe();
      boolean matches =
          wanted.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
      if (matches || !settings.setGroupConfigs() || System.nanoTime() > deadline) {
        return actual;
      }
      sleep();
    }
  }

  private Map<String, String> describe() {
    Config config =
        get(admin.describeConfigs(List.of(resource())).all(), "read the group configs")
            .get(resource());
    Map<String, String> values = new LinkedHashMap<>();
    config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
    return values;
  }

  private ConfigException mismatch(String name, String needed, String actual) {
    String why =
        switch (name) {
          case AUTO_OFFSET_RESET ->
              "requests published before the group first started would never" + " be delivered";
          case RENEW_ENABLE ->
              "long uploads renew their locks; a refused renewal looks like a" + " lost lock";
          default -> "share mode is set up for it";
        };
    return new ConfigException(
        settingOf(name).key(),
        "share group '"
            + group
            + "' has "
            + name
            + "="
            + actual
            + ", the processor needs "
            + needed
            + " ("
            + why
            + ")"
            + (settings.setGroupConfigs() ? "" : "; set it, or share.set-group-configs=true"));
  }

  private static Setting settingOf(String groupConfig) {
    return switch (groupConfig) {
      case DELIVERY_COUNT_LIMIT -> Setting.SHARE_DELIVERY_LIMIT;
      case LOCK_DURATION -> Setting.SHARE_LOCK_DURATION;
      default -> Setting.SHARE_SET_GROUP_CONFIGS;
    };
  }

  private ConfigResource resource() {
    return new ConfigResource(ConfigResource.Type.GROUP, group);
  }

  /**
   * The future's value; what the broker refuses becomes a {@link ConfigException} naming the
   * setting its message is about (the broker names the group config, e.g. "share.record.lock
   * .duration.ms must be in the range 15000 to 60000 inclusive.").
   */
  private <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw refused(what, e.getCause());
    } catch (TimeoutException e) {
      throw new ConfigException(
          Setting.KAFKA_BOOTSTRAP_SERVERS.key(),
          "no answer from Kafka within " + timeout + " to " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the share group", e);
    }
  }

  private ConfigException refused(String what, Throwable cause) {
    String message = "cannot " + what + " of share group '" + group + "': " + cause.getMessage();
    if (cause instanceof UnsupportedVersionException) {
      message += " (share groups need Kafka 4.2 or later with share.version=1 or higher)";
    }
    Setting setting = Setting.SHARE_SET_GROUP_CONFIGS;
    if (cause instanceof InvalidConfigurationException
        || cause instanceof InvalidRequestException) {
      String text = String.valueOf(cause.getMessage());
      setting =
          text.contains(LOCK_DURATION)
              ? Setting.SHARE_LOCK_DURATION
              : text.contains(DELIVERY_COUNT_LIMIT) ? Setting.SHARE_DELIVERY_LIMIT : setting;
    }
    ConfigException refused = new ConfigException(setting.key(), message);
    refused.initCause(cause);
    return refused;
  }

  private static void sleep() {
    try {
      Thread.sleep(200); // polling the broker's metadata until it shows what was just set
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the share group", e);
    }
  }
}
