package io.uploadstream.config;

import io.uploadstream.s3.S3ConnectionSettings;
import java.net.URI;
import java.util.Objects;

/**
 * Where objects go: the bucket, and how to reach its store. The connection is defined once, by
 * {@link S3ConnectionSettings} (its rules, the credentials pair among them, are checked there);
 * here only what is about the settings files: a valid bucket name and an endpoint that is an
 * http(s) URL. {@code connection.maxConnections()} is the default: the composition root sizes the
 * pool for the uploads it runs.
 */
public record StorageSettings(String bucket, S3ConnectionSettings connection) {

  public StorageSettings {
    ConfigProblems problems = new ConfigProblems();
    problems.require(
        bucket != null && bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
        Setting.S3_BUCKET,
        "not a valid bucket name: '" + bucket + "'");
    Objects.requireNonNull(connection, "connection");
    if (connection.endpoint() != null) {
      URI uri = connection.endpoint();
      problems.require(
          isHttpUri(uri),
          Setting.S3_ENDPOINT,
          "must be an http(s) URL with a host, was '" + uri + "'");
    }
    problems.throwIfAny();
  }

  /** The region's AWS endpoint, or the S3-compatible server's. */
  public String endpointUrl() {
    return connection.endpoint() != null
        ? connection.endpoint().toString()
        : "https://s3." + connection.region() + ".amazonaws.com";
  }

  private static boolean isHttpUri(URI uri) {
    String scheme = uri.getScheme();
    return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null;
  }
}
