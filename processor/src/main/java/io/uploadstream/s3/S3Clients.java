package io.uploadstream.s3;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the synchronous {@link S3Client} the uploader uses: Apache HTTP client with a bounded
 * pool, bounded timeouts, and SDK retries off, because the uploader's resilience4j {@code Retry} is
 * the one layer that owns retries (two layers would multiply attempts: 8 × 3 = 24 per part).
 */
public final class S3Clients {

  private S3Clients() {}

  public static S3Client create(S3ConnectionSettings settings) {
    return builder(settings).build();
  }

  /** The configured builder, for callers that add to it (tests add interceptors). */
  public static S3ClientBuilder builder(S3ConnectionSettings settings) {
    S3ConnectionSettings.Timeouts timeouts = settings.timeouts();
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(httpClient(settings))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(timeouts.apiCallAttempt()))
            .requestChecksumCalculation(
                settings.flexibleChecksums()
                    ? RequestChecksumCalculation.WHEN_SUPPORTED
                    : RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(
                settings.flexibleChecksums()
                    ? ResponseChecksumValidation.WHEN_SUPPORTED
                    : ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    if (settings.unsignedPayload()) {
      builder.putAuthScheme(new UnsignedPayloadAuthScheme());
    }
    return builder;
  }

  /**
   * The Apache HttpClient 5 based client: same options as the deprecated Apache 4 one, and in the
   * benchmark faster on the big file at the same CPU (BENCHMARKS.md).
   */
  private static SdkHttpClient.Builder<?> httpClient(S3ConnectionSettings settings) {
    S3ConnectionSettings.Timeouts timeouts = settings.timeouts();
    Apache5HttpClient.Builder builder =
        Apache5HttpClient.builder()
            .maxConnections(settings.maxConnections())
            .connectionTimeout(timeouts.connect())
            .socketTimeout(timeouts.socketRead())
            .connectionAcquisitionTimeout(timeouts.apiCallAttempt())
            .tcpKeepAlive(true);
    if (settings.trustStore() != null) {
      TrustManager[] trustManagers = trustManagers(settings.trustStore());
      builder.tlsTrustManagersProvider(() -> trustManagers);
    }
    return builder;
  }

  /** Trust managers over the given store only (its certificates replace the JDK's CAs). */
  static TrustManager[] trustManagers(S3ConnectionSettings.TrustStore store) {
    char[] password = store.password() == null ? null : store.password().toCharArray();
    try {
      KeyStore keys = KeyStore.getInstance(store.path().toFile(), password);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(keys);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot load the trust store " + store.path() + ": " + e.getMessage(), e);
    }
  }

  private static AwsCredentialsProvider credentials(S3ConnectionSettings settings) {
    if (settings.usesDefaultCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
  }
}
