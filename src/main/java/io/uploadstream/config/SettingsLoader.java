package io.uploadstream.config;

import io.uploadstream.upload.ChecksumAlgorithm;
import io.uploadstream.upload.JanitorSettings;
import io.uploadstream.upload.KeyConflictSettings;
import io.uploadstream.upload.OnKeyConflict;
import io.uploadstream.upload.RetrySettings;
import io.uploadstream.upload.UploaderSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads settings from a properties file and the environment, applies defaults and validates them.
 * Every failure is a {@link ConfigException} naming the setting, where its value came from and what
 * is wrong, so a bad deployment fails at start with a message an operator can act on.
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
    return new SettingsLoader(SettingSources.of(properties, Map.of()));
  }

  /** What a processor needs; requires the bucket and the allowed roots. */
  public Settings processorSettings() {
    StorageSettings storage = storage();
    UploaderSettings uploader = uploader();
    if (uploader.checksumAlgorithm() == ChecksumAlgorithm.MD5 && storage.flexibleChecksums()) {
      // The SDK would add its own CRC32 trailer to every part beside our Content-MD5.
      throw new ConfigException(
          Setting.UPLOAD_CHECKSUM.key(),
          "MD5 needs s3.flexible-checksums=false (stores that want MD5 reject the SDK's CRC32)");
    }
    return new Settings(
        kafka(),
        topics(),
        storage,
        cdn(),
        uploader,
        processor(),
        new OpsSettings(
            integer(Setting.METRICS_PORT), parse(Setting.LOG_FORMAT, SettingsLoader::logFormat)),
        janitor());
  }

  /** What submit and results need: Kafka and topics. */
  public ClientSettings clientSettings() {
    return new ClientSettings(kafka(), topics());
  }

  private KafkaSettings kafka() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", string(Setting.KAFKA_BOOTSTRAP_SERVERS));
    props.put("group.id", string(Setting.KAFKA_GROUP_ID));
    props.putAll(sources.kafkaProperties());
    return new KafkaSettings(props);
  }

  private TopicSettings topics() {
    return new TopicSettings(
        string(Setting.TOPIC_REQUESTS),
        string(Setting.TOPIC_RESULTS),
        string(Setting.TOPIC_DEAD_LETTERS),
        optional(Setting.TOPIC_PROGRESS));
  }

  private StorageSettings storage() {
    return new StorageSettings(
        optional(Setting.S3_ENDPOINT).map(value -> uri(Setting.S3_ENDPOINT, value)),
        string(Setting.S3_REGION),
        parse(Setting.S3_PATH_STYLE, SettingValues::parseBoolean),
        string(Setting.S3_BUCKET),
        optional(Setting.S3_ACCESS_KEY),
        optional(Setting.S3_SECRET_KEY).map(Secret::new),
        parse(Setting.S3_FLEXIBLE_CHECKSUMS, SettingValues::parseBoolean),
        parse(Setting.S3_UNSIGNED_PAYLOAD, SettingValues::parseBoolean),
        optional(Setting.S3_TRUST_STORE).map(value -> path(Setting.S3_TRUST_STORE, value)),
        optional(Setting.S3_TRUST_STORE_PASSWORD).map(Secret::new));
  }

  private CdnSettings cdn() {
    return new CdnSettings(
        optional(Setting.CDN_BASE_URL),
        parse(Setting.CDN_BUCKET_IN_PATH, SettingValues::parseBoolean));
  }

  private UploaderSettings uploader() {
    RetrySettings retry =
        build(
            Setting.UPLOAD_RETRY_MAX_ATTEMPTS,
            () ->
                new RetrySettings(
                    atLeast(Setting.UPLOAD_RETRY_MAX_ATTEMPTS, 1),
                    duration(Setting.UPLOAD_RETRY_INITIAL_BACKOFF),
                    parse(Setting.UPLOAD_RETRY_MULTIPLIER, Double::parseDouble),
                    duration(Setting.UPLOAD_RETRY_MAX_BACKOFF),
                    RetrySettings.DEFAULTS.jitterFactor()));
    KeyConflictSettings keyConflicts =
        new KeyConflictSettings(
            parse(Setting.UPLOAD_ON_KEY_CONFLICT, OnKeyConflict::parse),
            parse(Setting.S3_CONDITIONAL_WRITES, SettingValues::parseBoolean));
    return build(
        Setting.UPLOAD_PART_SIZE,
        () ->
            new UploaderSettings(
                parse(Setting.UPLOAD_PART_SIZE, SettingValues::parseBytes),
                atLeast(Setting.UPLOAD_PARTS_IN_FLIGHT, 1),
                parse(
                    Setting.UPLOAD_CHECKSUM,
                    v -> ChecksumAlgorithm.valueOf(v.toUpperCase(Locale.ROOT))),
                retry,
                keyConflicts));
  }

  private JanitorSettings janitor() {
    Duration interval =
        parse(
            Setting.JANITOR_INTERVAL,
            v -> v.trim().equals("0") ? Duration.ZERO : SettingValues.parseDuration(v));
    Duration maxAge = duration(Setting.JANITOR_MAX_AGE);
    List<String> prefixes =
        Arrays.stream(optional(Setting.JANITOR_PREFIXES).orElse("").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    return build(Setting.JANITOR_MAX_AGE, () -> new JanitorSettings(interval, maxAge, prefixes));
  }

  private ProcessorSettings processor() {
    List<Path> roots =
        Arrays.stream(string(Setting.PROCESSOR_ALLOWED_ROOTS).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> path(Setting.PROCESSOR_ALLOWED_ROOTS, s))
            .toList();
    return new ProcessorSettings(
        atLeast(Setting.PROCESSOR_UPLOADS_IN_FLIGHT, 1),
        roots,
        parse(Setting.UPLOAD_MAX_FILE_SIZE, SettingValues::parseBytes),
        parse(Setting.PROCESSOR_DELIVERY, Delivery::parse),
        new StopBudget(
            duration(Setting.PROCESSOR_SHUTDOWN_GRACE),
            duration(Setting.PROCESSOR_REVOCATION_GRACE)),
        duration(Setting.PROCESSOR_COMMIT_INTERVAL),
        duration(Setting.PROCESSOR_STORAGE_OUTAGE_WAIT),
        optional(Setting.PROCESSOR_INSTANCE_ID).orElseGet(SettingsLoader::defaultInstanceId),
        parse(Setting.PROCESSOR_MAX_HELD_BYTES, SettingValues::parseBytes));
  }

  private String string(Setting setting) {
    Optional<SettingSources.Found> found = sources.find(setting.key());
    if (found.isPresent() && !found.get().value().isEmpty()) {
      return found.get().value();
    }
    if (setting.required()) {
      throw new ConfigException(
          setting.key(),
          "required but not set (property " + setting.key() + " or env " + setting.envName() + ")");
    }
    return setting.defaultValue();
  }

  private Optional<String> optional(Setting setting) {
    String value = string(setting);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private int integer(Setting setting) {
    return parse(setting, Integer::parseInt);
  }

  private int atLeast(Setting setting, int min) {
    int value = integer(setting);
    if (value < min) {
      throw new ConfigException(
          setting.key(),
          "must be at least " + min + ", was " + value + " (" + origin(setting) + ")");
    }
    return value;
  }

  private Duration duration(Setting setting) {
    return parse(setting, SettingValues::parseDuration);
  }

  /** Parses a value; a failure names the setting, the value and its origin. */
  private <T> T parse(Setting setting, Function<String, T> parser) {
    String value = string(setting);
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new ConfigException(
          setting.key(),
          "invalid value '"
              + shown(setting, value)
              + "' from "
              + origin(setting)
              + ": "
              + e.getMessage());
    }
  }

  /** Builds a value whose constructor validates; its message is reported against the setting. */
  private static <T> T build(Setting setting, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting.key(), e.getMessage());
    }
  }

  private String origin(Setting setting) {
    return sources.find(setting.key()).map(SettingSources.Found::origin).orElse("default");
  }

  private static String shown(Setting setting, String value) {
    return setting.secret() ? "****" : value;
  }

  private static URI uri(Setting setting, String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(setting.key(), "not a URL: '" + value + "'");
    }
  }

  private static Path path(Setting setting, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new ConfigException(setting.key(), "not a path: '" + value + "'");
    }
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
