package io.uploadstream.config;

import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.Encryption;
import io.uploadstream.upload.ObjectDefaults;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the settings of the store and of the objects put there: the bucket and the connection to
 * it, the CDN in front of it, encryption and the object option defaults ({@link SettingsLoader}
 * reads the rest).
 */
final class StorageReader {
  private StorageReader() {}

  static StorageSettings storage(SettingReader read) {
    String bucket = read.string(Setting.S3_BUCKET);
    // The connection's rules are its own (S3ConnectionSettings); of them only the credentials pair
    // can be broken by the settings files: the region has a default, the pool size is derived.
    S3ConnectionSettings connection = read.build(Setting.S3_SECRET_KEY, () -> connection(read));
    if (connection == null) { // its problem is recorded: the bucket is still checked
      connection = S3ConnectionSettings.aws(Setting.S3_REGION.defaultValue());
    }
    return new StorageSettings(bucket, connection);
  }

  private static S3ConnectionSettings connection(SettingReader read) {
    Optional<Path> trustStore =
        read.optional(Setting.S3_TRUST_STORE).flatMap(v -> read.path(Setting.S3_TRUST_STORE, v));
    return new S3ConnectionSettings(
        read.uri(Setting.S3_ENDPOINT).orElse(null),
        read.string(Setting.S3_REGION),
        read.parse(Setting.S3_PATH_STYLE, SettingValues::parseBoolean),
        read.optional(Setting.S3_ACCESS_KEY).orElse(null),
        read.optional(Setting.S3_SECRET_KEY).orElse(null),
        S3ConnectionSettings.DEFAULT_MAX_CONNECTIONS,
        read.parse(Setting.S3_FLEXIBLE_CHECKSUMS, SettingValues::parseBoolean),
        read.parse(Setting.S3_UNSIGNED_PAYLOAD, SettingValues::parseBoolean),
        S3ConnectionSettings.Timeouts.DEFAULTS,
        trustStore
            .map(
                path ->
                    new S3ConnectionSettings.TrustStore(
                        path, read.optional(Setting.S3_TRUST_STORE_PASSWORD).orElse(null)))
            .orElse(null));
  }

  static CdnSettings cdn(SettingReader read) {
    return new CdnSettings(
        read.optional(Setting.CDN_BASE_URL),
        read.parse(Setting.CDN_BUCKET_IN_PATH, SettingValues::parseBoolean));
  }

  /** s3.sse and its key; a key without aws:kms is named as the problem. */
  static Encryption encryption(SettingReader read) {
    Encryption.Mode mode = read.parse(Setting.S3_SSE, Encryption.Mode::parse);
    String keyId = read.optional(Setting.S3_SSE_KMS_KEY_ID).map(String::trim).orElse(null);
    if (keyId != null && mode != Encryption.Mode.AWS_KMS) {
      read.problem(Setting.S3_SSE_KMS_KEY_ID, "is set, but s3.sse is " + mode.header());
      return new Encryption(mode, null);
    }
    return new Encryption(mode, keyId);
  }

  static ObjectDefaults objects(SettingReader read) {
    return new ObjectDefaults(
        read.parse(
            Setting.UPLOAD_CACHE_CONTROL,
            v -> ObjectDefaults.parseHeader(Setting.UPLOAD_CACHE_CONTROL.key(), v)),
        read.parse(
            Setting.UPLOAD_CONTENT_DISPOSITION,
            v -> ObjectDefaults.parseHeader(Setting.UPLOAD_CONTENT_DISPOSITION.key(), v)),
        read.parse(Setting.UPLOAD_STORAGE_CLASS, ObjectDefaults::parseStorageClass),
        read.parse(Setting.UPLOAD_ALLOWED_STORAGE_CLASSES, ObjectDefaults::parseStorageClasses),
        read.parse(Setting.UPLOAD_TAGS, ObjectDefaults::parseTags));
  }
}
