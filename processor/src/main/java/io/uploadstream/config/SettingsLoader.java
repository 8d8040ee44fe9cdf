package io.uploadstream.config;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.KafkaSettings;
import io.uploadstream.client.TopicSettings;
import io.uploadstream.upload.ChecksumAlgorithm;
import io.uploadstream.upload.JanitorSettings;
import io.uploadstream.upload.KeyConflictSettings;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.OnKeyConflict;
import io.uploadstream.upload.RetrySettings;
import io.uploadstream.upload.UploaderSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads settings from a properties file and the environment, applies defaults and validates them. A
 * failure is one {@link ConfigException} naming every invalid setting, where each value came from
 * and what is wrong with it, so a bad deployment fails at start with a message an operator can act
 * on, in one round.
 */
public final class SettingsLoader {
  private final SettingSources sources;

  private SettingsLoader(SettingSources sources) {
    this.sources = sources;
  }

  /** Settings from {@code configFile} (may be null) overridden by {@code env}. */
  public static SettingsLoader from(Path configFile, Map<String, String> env) {
    return new SettingsLoader(
        configFile == null
            ? SettingSources.of(Map.of(), env)
            : SettingSources.fromFile(configFile, env));
  }

  /** These settings with {@code overrides} (property name → value) winning over all else. */
  public SettingsLoader withOverrides(Map<String, String> overrides) {
    return new SettingsLoader(sources.withOverrides(overrides));
  }

  /** Settings from a map of properties only (tests, the embedded dev stack). */
  public static SettingsLoader fromProperties(Map<String, String> properties) {
    return fromProperties(properties, Map.of());
  }

  /** Settings from a map of properties (as from a file) overridden by {@code env}. */
  public static SettingsLoader fromProperties(
      Map<String, String> properties, Map<String, String> env) {
    return new SettingsLoader(SettingSources.of(properties, env));
  }

  /** What a processor needs; requires the bucket and the allowed roots. */
  public Settings processorSettings() {
    ConfigProblems problems = new ConfigProblems();
    SettingReader read = new SettingReader(sources, problems);
    KafkaSettings kafka = read.build(Setting.KAFKA_BOOTSTRAP_SERVERS, () -> kafka(read));
    TopicSettings topics = read.build(Setting.TOPIC_REQUESTS, () -> topics(read));
    StorageSettings storage = read.build(Setting.S3_BUCKET, () -> StorageReader.storage(read));
    CdnSettings cdn = StorageReader.cdn(read);
    UploaderSettings uploader = read.build(Setting.UPLOAD_PART_SIZE, () -> uploader(read));
    ObjectDefaults objects = read.build(Setting.UPLOAD_TAGS, () -> StorageReader.objects(read));
    ProcessorSettings processor =
        read.build(Setting.PROCESSOR_ALLOWED_ROOTS, () -> processor(read));
    OpsSettings ops =
        read.build(
            Setting.METRICS_PORT,
            () ->
                new OpsSettings(
                    read.parse(Setting.METRICS_PORT, Integer::parseInt),
                    read.parse(Setting.LOG_FORMAT, SettingsLoader::logFormat)));
    JanitorSettings janitor = read.build(Setting.JANITOR_MAX_AGE, () -> janitor(read));
    ShareSettings share = read.build(Setting.SHARE_DELIVERY_LIMIT, () -> share(read));
    if (uploader != null
        && storage != null
        && !uploader.checksumAlgorithm().worksWith(storage.connection().flexibleChecksums())) {
      read.problem(
          Setting.UPLOAD_CHECKSUM,
          "MD5 needs s3.flexible-checksums=false ("
              + ChecksumAlgorithm.MD5_WITH_SDK_CHECKSUMS
              + ")");
    }
    problems.throwIfAny();
    return new Settings(
        kafka, topics, storage, cdn, uploader, objects, processor, ops, janitor, share);
  }

  /** What submit and results need: Kafka and topics. */
  public ClientSettings clientSettings() {
    ConfigProblems problems = new ConfigProblems();
    SettingReader read = new SettingReader(sources, problems);
    KafkaSettings kafka = read.build(Setting.KAFKA_BOOTSTRAP_SERVERS, () -> kafka(read));
    TopicSettings topics = read.build(Setting.TOPIC_REQUESTS, () -> topics(read));
    Duration connectTimeout =
        read.atLeast(Setting.CLIENT_CONNECT_TIMEOUT, Duration.ofMillis(100), "100ms");
    problems.throwIfAny();
    return new ClientSettings(kafka, topics, connectTimeout);
  }

  private KafkaSettings kafka(SettingReader read) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", read.string(Setting.KAFKA_BOOTSTRAP_SERVERS));
    props.put("group.id", read.string(Setting.KAFKA_GROUP_ID));
    props.putAll(sources.kafkaProperties());
    return new KafkaSettings(props);
  }

  private static TopicSettings topics(SettingReader read) {
    return new TopicSettings(
        read.string(Setting.TOPIC_REQUESTS),
        read.string(Setting.TOPIC_RESULTS),
        read.string(Setting.TOPIC_DEAD_LETTERS),
        read.optional(Setting.TOPIC_PROGRESS),
        read.string(Setting.TOPIC_LARGE_REQUESTS));
  }

  /** Each value is checked here against the rules of the records, so each is named on its own. */
  private static UploaderSettings uploader(SettingReader read) {
    Duration initialBackoff =
        read.atLeast(Setting.UPLOAD_RETRY_INITIAL_BACKOFF, Duration.ofMillis(1), "1ms");
    Duration maxBackoff = read.duration(Setting.UPLOAD_RETRY_MAX_BACKOFF);
    if (maxBackoff.compareTo(initialBackoff) < 0
        && read.isValid(Setting.UPLOAD_RETRY_INITIAL_BACKOFF)) {
      read.problem(
          Setting.UPLOAD_RETRY_MAX_BACKOFF,
          "must not be below upload.retry.initial-backoff ("
              + initialBackoff
              + "), was "
              + maxBackoff);
    }
    RetrySettings retry =
        read.build(
            Setting.UPLOAD_RETRY_MAX_ATTEMPTS,
            () ->
                new RetrySettings(
                    read.atLeast(Setting.UPLOAD_RETRY_MAX_ATTEMPTS, 1),
                    initialBackoff,
                    read.atLeast(Setting.UPLOAD_RETRY_MULTIPLIER, 1.0),
                    maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff,
                    RetrySettings.DEFAULTS.jitterFactor()));
    KeyConflictSettings keyConflicts =
        new KeyConflictSettings(
            read.parse(Setting.UPLOAD_ON_KEY_CONFLICT, OnKeyConflict::parse),
            read.parse(Setting.S3_CONDITIONAL_WRITES, SettingValues::parseBoolean));
    return new UploaderSettings(
        read.bytesBetween(
            Setting.UPLOAD_PART_SIZE,
            UploaderSettings.MIN_PART_SIZE_BYTES,
            UploaderSettings.MAX_PART_SIZE_BYTES,
            "5MiB and 5GiB"),
        read.atLeast(Setting.UPLOAD_PARTS_IN_FLIGHT, 1),
        read.parse(
            Setting.UPLOAD_CHECKSUM, v -> ChecksumAlgorithm.valueOf(v.toUpperCase(Locale.ROOT))),
        retry == null ? RetrySettings.DEFAULTS : retry,
        keyConflicts,
        StorageReader.encryption(read));
  }

  private static JanitorSettings janitor(SettingReader read) {
    Duration interval =
        read.parse(
            Setting.JANITOR_INTERVAL,
            v -> v.trim().equals("0") ? Duration.ZERO : SettingValues.parseDuration(v));
    Duration maxAge =
        read.atLeast(
            Setting.JANITOR_MAX_AGE, JanitorSettings.MIN_MAX_AGE, "1h (longer than any upload)");
    List<String> prefixes =
        Arrays.stream(read.optional(Setting.JANITOR_PREFIXES).orElse("").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    return new JanitorSettings(interval, maxAge, prefixes);
  }

  private static ProcessorSettings processor(SettingReader read) {
    List<Path> roots =
        Arrays.stream(read.string(Setting.PROCESSOR_ALLOWED_ROOTS).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .flatMap(s -> read.path(Setting.PROCESSOR_ALLOWED_ROOTS, s).stream())
            .toList();
    Consumption consumption = read.parse(Setting.PROCESSOR_CONSUMPTION, Consumption::parse);
    return new ProcessorSettings(
        read.atLeast(Setting.PROCESSOR_UPLOADS_IN_FLIGHT, 1),
        roots,
        read.parse(Setting.UPLOAD_MAX_FILE_SIZE, SettingValues::parseBytes),
        delivery(read, consumption),
        stopBudget(read),
        read.duration(Setting.PROCESSOR_COMMIT_INTERVAL),
        read.duration(Setting.PROCESSOR_STORAGE_OUTAGE_WAIT),
        read.optional(Setting.PROCESSOR_INSTANCE_ID).orElseGet(SettingsLoader::defaultInstanceId),
        read.parse(Setting.PROCESSOR_MAX_HELD_BYTES, SettingValues::parseBytes),
        read.parse(Setting.PROCESSOR_ALLOW_DELETE, SettingValues::parseBoolean),
        lanes(read),
        consumption);
  }

  /**
   * The delivery asked for; in share mode at-least-once unless set (to exactly-once, which the
   * settings then refuse with a message saying why).
   */
  private static Delivery delivery(SettingReader read, Consumption consumption) {
    if (consumption == Consumption.SHARE && !read.isSet(Setting.PROCESSOR_DELIVERY)) {
      return Delivery.AT_LEAST_ONCE;
    }
    return read.parse(Setting.PROCESSOR_DELIVERY, Delivery::parse);
  }

  private static ShareSettings share(SettingReader read) {
    return new ShareSettings(
        read.optionalDuration(Setting.SHARE_LOCK_DURATION),
        read.parse(Setting.SHARE_DELIVERY_LIMIT, Integer::parseInt),
        read.parse(Setting.SHARE_SET_GROUP_CONFIGS, SettingValues::parseBoolean),
        read.duration(Setting.SHARE_STALL_TIMEOUT));
  }

  /** The lanes, or (their problems recorded) the defaults, so reading can go on. */
  private static LaneSettings lanes(SettingReader read) {
    LaneSettings lanes =
        read.build(
            Setting.PROCESSOR_LARGE_FILE_THRESHOLD,
            () ->
                new LaneSettings(
                    read.parse(
                        Setting.PROCESSOR_LARGE_FILE_THRESHOLD, LaneSettings::parseThreshold),
                    read.atLeast(Setting.PROCESSOR_LARGE_UPLOADS_IN_FLIGHT, 1)));
    return lanes != null
        ? lanes
        : new LaneSettings(
            LaneSettings.parseThreshold(Setting.PROCESSOR_LARGE_FILE_THRESHOLD.defaultValue()),
            Integer.parseInt(Setting.PROCESSOR_LARGE_UPLOADS_IN_FLIGHT.defaultValue()));
  }

  /** The graces, or (their problems recorded) the defaults, so reading can go on. */
  private static StopBudget stopBudget(SettingReader read) {
    StopBudget stop =
        read.build(
            Setting.PROCESSOR_SHUTDOWN_GRACE,
            () ->
                new StopBudget(
                    read.duration(Setting.PROCESSOR_SHUTDOWN_GRACE),
                    read.duration(Setting.PROCESSOR_REVOCATION_GRACE)));
    return stop != null
        ? stop
        : new StopBudget(
            SettingValues.parseDuration(Setting.PROCESSOR_SHUTDOWN_GRACE.defaultValue()),
            SettingValues.parseDuration(Setting.PROCESSOR_REVOCATION_GRACE.defaultValue()));
  }

  private static LogFormat logFormat(String value) {
    return LogFormat.valueOf(value.toUpperCase(Locale.ROOT));
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
