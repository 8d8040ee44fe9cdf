package io.uploadstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ConfigException;
import io.uploadstream.client.TopicSettings;
import io.uploadstream.upload.ChecksumAlgorithm;
import io.uploadstream.upload.Encryption;
import io.uploadstream.upload.KeyConflictSettings;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.OnKeyConflict;
import io.uploadstream.upload.UploaderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {
  @TempDir Path dir;

  private static Map<String, String> minimal() {
    Map<String, String> props = new HashMap<>();
    props.put("s3.bucket", "uploads");
    props.put("processor.allowed-roots", "/data/in, /srv/files");
    return props;
  }

  @Test
  void defaults_matchTheDesign() {
    Settings settings = SettingsLoader.fromProperties(minimal()).processorSettings();

    assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(settings.kafka().groupId()).isEqualTo("upload-stream");
    assertThat(settings.topics()).isEqualTo(TopicSettings.defaults());
    assertThat(settings.uploader()).isEqualTo(UploaderSettings.DEFAULTS);
    assertThat(settings.processor().uploadsInFlight()).isEqualTo(8);
    assertThat(settings.processor().allowedRoots())
        .containsExactly(Path.of("/data/in"), Path.of("/srv/files"));
    assertThat(settings.processor().delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
    assertThat(settings.processor().maxFileSizeBytes()).isEqualTo(5L << 40);
    assertThat(settings.processor().maxHeldBytes()).isEqualTo(32L << 20);
    assertThat(settings.processor().stop())
        .isEqualTo(new StopBudget(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    assertThat(settings.processor().stop().timeToStop()).isEqualTo(Duration.ofSeconds(57));
    assertThat(settings.storage().connection().endpoint()).isNull();
    assertThat(settings.storage().connection().usesDefaultCredentials()).isTrue();
    assertThat(settings.cdn().bucketInPath()).isTrue();
    assertThat(settings.ops().metricsPort()).isEqualTo(9400);
  }

  @Test
  void environment_overridesTheFile_andKafkaPropertiesPassThrough() throws Exception {
    Path file = dir.resolve("upload-stream.properties");
    Files.writeString(
        file,
        """
        s3.bucket=from-file
        processor.allowed-roots=/data
        upload.part-size=16MiB
        kafka.security.protocol=SASL_SSL
        kafka.sasl.mechanism=SCRAM-SHA-512""");
    Map<String, String> env =
        Map.of(
            "UPLOAD_STREAM_S3_BUCKET", "from-env",
            "UPLOAD_STREAM_KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
            "UPLOAD_STREAM_KAFKA_SASL_JAAS_CONFIG", "org.apache...ScramLoginModule required;",
            "UPLOAD_STREAM_PROCESSOR_DELIVERY", "at-least-once",
            "UPLOAD_STREAM_UPLOAD_RETRY_INITIAL_BACKOFF", "50ms");

    Settings settings = SettingsLoader.from(file, env).processorSettings();

    assertThat(settings.storage().bucket()).isEqualTo("from-env");
    assertThat(settings.uploader().partSizeBytes()).isEqualTo(16L << 20);
    assertThat(settings.uploader().retry().initialBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.processor().delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
    assertThat(settings.kafka().clientProperties())
        .containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache...ScramLoginModule required;");
  }

  @ParameterizedTest(name = "{0}={1} fails naming the setting")
  @CsvSource(
      delimiter = '|',
      value = {
        "upload.part-size|1MiB|upload.part-size",
        "upload.part-size|lots|upload.part-size",
        "upload.parts-in-flight|0|upload.parts-in-flight",
        "upload.checksum|SHA1|upload.checksum",
        "upload.on-key-conflict|ignore|upload.on-key-conflict",
        "s3.conditional-writes|sometimes|s3.conditional-writes",
        "upload.retry.max-attempts|0|upload.retry.max-attempts",
        "upload.retry.initial-backoff|soon|upload.retry.initial-backoff",
        "processor.uploads-in-flight|0|processor.uploads-in-flight",
        "processor.uploads-in-flight|eight|processor.uploads-in-flight",
        "processor.allowed-roots|relative/dir|processor.allowed-roots",
        "processor.delivery|maybe-once|processor.delivery",
        "processor.max-held-bytes|512KiB|processor.max-held-bytes",
        "processor.max-held-bytes|much|processor.max-held-bytes",
        "processor.revocation-grace|3m|processor.revocation-grace",
        "processor.shutdown-grace|later|processor.shutdown-grace",
        "s3.bucket|Not_A_Bucket|s3.bucket",
        "s3.endpoint|ftp://host|s3.endpoint",
        "s3.path-style|perhaps|s3.path-style",
        "topics.results|bad topic|topics.results",
        "metrics.port|70000|metrics.port",
        "log.format|xml|log.format",
        "upload.cache-control|no\u0007cache|upload.cache-control",
        "upload.storage-class|standard|upload.storage-class",
        "upload.allowed-storage-classes|STANDARD_IA;GLACIER|upload.allowed-storage-classes",
        "upload.tags|team|upload.tags",
        "upload.tags|aws:owner=me|upload.tags",
        "upload.tags|a=1;b=2|upload.tags",
        "s3.sse|rot13|s3.sse",
        "s3.sse-kms-key-id|key-1|s3.sse-kms-key-id",
        "processor.allow-delete|sometimes|processor.allow-delete",
        "processor.allow-delet|true|processor.allow-delet",
        "upload.cache-contrl|no-cache|upload.cache-contrl",
      })
  void badValue_failsAtStart_namingTheSetting(String key, String value, String named) {
    Map<String, String> props = minimal();
    props.put(key, value);

    assertThatThrownBy(() -> SettingsLoader.fromProperties(props).processorSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(named + ":")
        .satisfies(e -> assertThat(((ConfigException) e).setting()).isEqualTo(named));
  }

  @Test
  void severalInvalidSettings_areAllNamedInOneError_byTheirPropertyNames() {
    Map<String, String> props = new HashMap<>();
    props.put("processor.allowed-roots", "/data/in");
    props.put("upload.part-size", "1MiB");
    props.put("upload.parts-in-flight", "0");
    props.put("upload.retry.initial-backoff", "soon");
    props.put("metrics.port", "70000");
    props.put("processor.delivery", "maybe-once");
    props.put("janitor.max-age", "10m");
    props.put("processor.revocation-grace", "1h");

    assertThatThrownBy(() -> SettingsLoader.fromProperties(props).processorSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("8 invalid settings:")
        .hasMessageContaining(
            "\n  upload.part-size: must be between 5MiB and 5GiB, was 1MiB (properties)")
        .hasMessageContaining("\n  upload.parts-in-flight: must be at least 1, was 0 (properties)")
        .hasMessageContaining("\n  upload.retry.initial-backoff: invalid value 'soon'")
        .hasMessageContaining("\n  metrics.port: must be -1 (off) or 0..65535, was 70000")
        .hasMessageContaining("\n  processor.delivery: invalid value 'maybe-once'")
        .hasMessageContaining("\n  janitor.max-age: must be at least 1h")
        .hasMessageContaining("\n  s3.bucket: required but not set")
        .hasMessageContaining("\n  processor.revocation-grace: between 0s and")
        .hasMessageNotContaining("partSizeBytes")
        .hasMessageNotContaining("partsInFlight")
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(8));
  }

  @Test
  void keyConflicts_failWithConditionalWritesByDefault_andReadTheirSettings() {
    Map<String, String> props = minimal();
    Settings defaults = SettingsLoader.fromProperties(props).processorSettings();
    props.put("upload.on-key-conflict", " Rename ");
    props.put("s3.conditional-writes", "false");

    KeyConflictSettings set =
        SettingsLoader.fromProperties(props).processorSettings().uploader().keyConflicts();

    assertThat(defaults.uploader().keyConflicts())
        .isEqualTo(new KeyConflictSettings(OnKeyConflict.FAIL, true))
        .isEqualTo(KeyConflictSettings.DEFAULTS);
    assertThat(set).isEqualTo(new KeyConflictSettings(OnKeyConflict.RENAME, false));
  }

  @Test
  void objectOptions_andDelete_areOffByDefault_andReadTheirSettings() {
    Map<String, String> props = minimal();
    Settings defaults = SettingsLoader.fromProperties(props).processorSettings();
    props.put("upload.cache-control", "public, max-age=31536000, immutable");
    props.put("upload.content-disposition", "inline");
    props.put("upload.storage-class", "STANDARD_IA");
    props.put("upload.allowed-storage-classes", "GLACIER_IR, INTELLIGENT_TIERING");
    props.put("upload.tags", "team=uploads, retention=30d,note=a b=c");
    props.put("s3.sse", "aws:kms");
    props.put("s3.sse-kms-key-id", "alias/uploads");
    props.put("processor.allow-delete", "true");

    Settings set = SettingsLoader.fromProperties(props).processorSettings();

    assertThat(defaults.objects()).isEqualTo(ObjectDefaults.NONE);
    assertThat(defaults.uploader().encryption()).isEqualTo(Encryption.NONE);
    assertThat(defaults.processor().allowDelete()).isFalse();
    assertThat(set.objects())
        .isEqualTo(
            new ObjectDefaults(
                "public, max-age=31536000, immutable",
                "inline",
                "STANDARD_IA",
                Set.of("GLACIER_IR", "INTELLIGENT_TIERING"),
                Map.of("team", "uploads", "retention", "30d", "note", "a b=c")));
    assertThat(set.uploader().encryption())
        .isEqualTo(new Encryption(Encryption.Mode.AWS_KMS, "alias/uploads"));
    assertThat(set.processor().allowDelete()).isTrue();
  }

  @Test
  void kmsKeyId_isASecret_neverShown() {
    Map<String, String> props = minimal();
    props.put("s3.sse", "aws:kms");
    props.put("s3.sse-kms-key-id", "arn:aws:kms:eu-west-1:111122223333:key/private-key-id");

    String shown = SettingsLoader.fromProperties(props).processorSettings().toString();

    assertThat(Setting.S3_SSE_KMS_KEY_ID.secret()).isTrue();
    assertThat(shown).doesNotContain("private-key-id").contains("aws:kms", "****");
  }

  @Test
  void missingRequiredSetting_namesPropertyAndEnvironmentVariable() {
    assertThatThrownBy(
            () -> SettingsLoader.fromProperties(Map.of("s3.bucket", "b1-b")).processorSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processor.allowed-roots")
        .hasMessageContaining("UPLOAD_STREAM_PROCESSOR_ALLOWED_ROOTS");
  }

  @Test
  void md5Checksums_withTheSdksFlexibleChecksums_isRefused() {
    Map<String, String> props = minimal();
    props.put("upload.checksum", "MD5");
    assertThatThrownBy(() -> SettingsLoader.fromProperties(props).processorSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s3.flexible-checksums=false");
    props.put("s3.flexible-checksums", "false");
    assertThat(
            SettingsLoader.fromProperties(props).processorSettings().uploader().checksumAlgorithm())
        .isEqualTo(ChecksumAlgorithm.MD5);
  }

  @Test
  void accessKeyWithoutSecret_isRefused() {
    Map<String, String> props = minimal();
    props.put("s3.access-key", "AKIA");
    assertThatThrownBy(() -> SettingsLoader.fromProperties(props).processorSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s3.secret-key");
  }

  @Test
  void clientSettings_needNoBucketOrRoots() {
    ClientSettings client =
        SettingsLoader.fromProperties(Map.of("kafka.bootstrap.servers", "b:1")).clientSettings();
    assertThat(client.kafka().bootstrapServers()).isEqualTo("b:1");
  }

  @Test
  void secrets_neverAppearInToString() {
    Map<String, String> props = minimal();
    props.put("s3.access-key", "AKIAEXAMPLE");
    props.put("s3.secret-key", "very-secret-value");
    props.put("kafka.sasl.jaas.config", "ScramLoginModule required password=\"hunter2\";");
    props.put("kafka.ssl.truststore.password", "changeit-secret");

    String shown = SettingsLoader.fromProperties(props).processorSettings().toString();

    assertThat(shown).doesNotContain("very-secret-value", "hunter2", "changeit-secret");
    assertThat(shown).contains("uploads");
  }

  @Test
  void badSecretValue_isNotEchoedInTheError() {
    Map<String, String> props = minimal();
    props.put("upload.checksum", "CRC32C");
    props.put("s3.secret-key", "s3cr3t");
    props.put("s3.access-key", "key");
    assertThat(SettingsLoader.fromProperties(props).processorSettings().storage().toString())
        .doesNotContain("s3cr3t")
        .contains("secretKey=****");
  }

  @Test
  void everySetting_hasADistinctEnvironmentName() {
    List<String> envNames =
        java.util.Arrays.stream(Setting.values()).map(Setting::envName).toList();
    assertThat(envNames)
        .doesNotHaveDuplicates()
        .allMatch(n -> n.matches("UPLOAD_STREAM_[A-Z0-9_]+"));
    assertThat(Setting.S3_BUCKET.envName()).isEqualTo("UPLOAD_STREAM_S3_BUCKET");
  }
}
