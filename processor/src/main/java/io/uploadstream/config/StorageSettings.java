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
    ConfigProblems problems = new ConfigProblems();
    problems.require(
        bucket != null && bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
        Setting.S3_BUCKET,
        "not a valid bucket name: '" + bucket + "'");
    problems.require(
        accessKey.isPresent() == secretKey.isPresent(),
        Setting.S3_SECRET_KEY,
        "s3.access-key and s3.secret-key must be set together (or neither, for the AWS chain)");
    endpoint.ifPresent(
        uri ->
            problems.require(
                isHttpUri(uri),
                Setting.S3_ENDPOINT,
                "must be an http(s) URL with a host, was '" + uri + "'"));
    problems.throwIfAny();
  }

  private static boolean isHttpUri(URI uri) {
    String scheme = uri.getScheme();
    return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null;
  }
}
