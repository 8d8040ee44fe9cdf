package io.uploadstream.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where objects go. {@code endpoint} empty means AWS S3; credentials empty mean the AWS default
 * chain (environment, profile, instance role). Secrets are {@link Secret}s, masked when printed.
 */
public record StorageSettings(
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    String bucket,
    Optional<String> accessKey,
    Optional<Secret> secretKey,
    boolean flexibleChecksums,
    boolean unsignedPayload,
    Optional<Path> trustStore,
    Optional<Secret> trustStorePassword) {

  public StorageSettings {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(
          Setting.S3_BUCKET.key(), "not a valid bucket name: '" + bucket + "'");
    }
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new ConfigException(
          Setting.S3_SECRET_KEY.key(),
          "s3.access-key and s3.secret-key must be set together (or neither, for the AWS chain)");
    }
    endpoint.ifPresent(StorageSettings::requireHttpUri);
  }

  private static void requireHttpUri(URI uri) {
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      throw new ConfigException(
          Setting.S3_ENDPOINT.key(), "must be an http(s) URL with a host, was '" + uri + "'");
    }
  }
}
