package io.uploadstream.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the object store.
 *
 * <p>{@code endpoint} is {@code null} for AWS itself (the region's endpoint), else an S3-compatible
 * server such as MinIO or S3Proxy. {@code accessKey} and {@code secretKey} are both set, or both
 * {@code null} for the AWS default credentials chain (environment, profile, instance role). {@code
 * maxConnections} sizes the HTTP connection pool: give it at least uploads in flight × parts in
 * flight. {@code flexibleChecksums} lets the SDK add its default checksums where an operation
 * supports them ({@code WHEN_SUPPORTED}); turn it off ({@code WHEN_REQUIRED}) for stores that
 * reject them (older S3Proxy, some Ceph and GCS interop setups). {@code unsignedPayload} sends
 * {@code UNSIGNED-PAYLOAD} over plain HTTP as the SDK does over HTTPS, saving a SHA-256 of every
 * byte; integrity then rests on the uploader's checksum header, which the store verifies, so turn
 * it on only on trusted networks (see {@link UnsignedPayloadAuthScheme}). {@link #toString()} never
 * shows the secret.
 */
public record S3ConnectionSettings(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    int maxConnections,
    boolean flexibleChecksums,
    boolean unsignedPayload,
    Timeouts timeouts,
    TrustStore trustStore) {

  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  /**
   * How long the HTTP layer waits, so a stalled connection can never hang an upload. {@code
   * apiCallAttempt} bounds one request end to end (a blocked socket write is only caught by it): it
   * must cover sending one part at the slowest link you accept (8 MiB at 100 KiB/s is 80 s).
   */
  public record Timeouts(Duration connect, Duration socketRead, Duration apiCallAttempt) {
    public static final Timeouts DEFAULTS =
        new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public Timeouts {
      requirePositive("connect", connect);
      requirePositive("socketRead", socketRead);
      requirePositive("apiCallAttempt", apiCallAttempt);
    }

    private static void requirePositive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " timeout must be positive, was " + value);
      }
    }
  }

  public S3ConnectionSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(timeouts, "timeouts");
    if (region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          "accessKey and secretKey must both be set or both be null (default credentials chain)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "maxConnections must be at least 1, was " + maxConnections);
    }
  }

  /** AWS S3 in {@code region}, credentials from the default chain. */
  public static S3ConnectionSettings aws(String region) {
    return new S3ConnectionSettings(
        null,
        region,
        false,
        null,
        null,
        DEFAULT_MAX_CONNECTIONS,
        true,
        false,
        Timeouts.DEFAULTS,
        null);
  }

  /** An S3-compatible server at {@code endpoint} with static keys and path-style addressing. */
  public static S3ConnectionSettings endpoint(
      URI endpoint, String region, String accessKey, String secretKey) {
    Objects.requireNonNull(endpoint, "endpoint");
    return new S3ConnectionSettings(
        endpoint,
        region,
        true,
        accessKey,
        secretKey,
        DEFAULT_MAX_CONNECTIONS,
        true,
        false,
        Timeouts.DEFAULTS,
        null);
  }

  public S3ConnectionSettings withMaxConnections(int value) {
    return new S3ConnectionSettings(
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        value,
        flexibleChecksums,
        unsignedPayload,
        timeouts,
        trustStore);
  }

  public S3ConnectionSettings withFlexibleChecksums(boolean value) {
    return new S3ConnectionSettings(
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        maxConnections,
        value,
        unsignedPayload,
        timeouts,
        trustStore);
  }

  public S3ConnectionSettings withUnsignedPayload(boolean value) {
    return new S3ConnectionSettings(
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        maxConnections,
        flexibleChecksums,
        value,
        timeouts,
        trustStore);
  }

  public S3ConnectionSettings withTimeouts(Timeouts value) {
    return new S3ConnectionSettings(
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        maxConnections,
        flexibleChecksums,
        unsignedPayload,
        value,
        trustStore);
  }

  /** The same connection, trusting the certificates in {@code value} (null: the JDK's CAs). */
  public S3ConnectionSettings withTrustStore(TrustStore value) {
    return new S3ConnectionSettings(
        endpoint,
        region,
        pathStyle,
        accessKey,
        secretKey,
        maxConnections,
        flexibleChecksums,
        unsignedPayload,
        timeouts,
        value);
  }

  /**
   * A key store file (PKCS12 or JKS) whose certificates an HTTPS endpoint is checked against, for
   * stores with a private CA. {@code toString()} hides the password.
   */
  public record TrustStore(java.nio.file.Path path, String password) {
    public TrustStore {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return "TrustStore[path=" + path + ", password=****]";
    }
  }

  /** True when the default AWS credentials chain supplies the keys. */
  public boolean usesDefaultCredentials() {
    return accessKey == null;
  }

  @Override
  public String toString() {
    return "S3ConnectionSettings[endpoint="
        + (endpoint == null ? "aws" : endpoint)
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", accessKey="
        + (accessKey == null ? "(default chain)" : accessKey)
        + ", secretKey="
        + (secretKey == null ? "(default chain)" : "****")
        + ", maxConnections="
        + maxConnections
        + ", flexibleChecksums="
        + flexibleChecksums
        + ", unsignedPayload="
        + unsignedPayload
        + ", timeouts="
        + timeouts
        + ", trustStore="
        + trustStore
        + "]";
  }
}
