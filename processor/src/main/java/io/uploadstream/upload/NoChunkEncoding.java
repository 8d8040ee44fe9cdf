package io.uploadstream.upload;

import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * A per-request plugin that sends a signed body whole instead of in {@code aws-chunked} framing.
 * Used for empty bodies only: S3Proxy leaves an empty {@code aws-chunked} body half read and its
 * server then drops the connection, so the next request on that pooled connection fails (about half
 * of all empty PutObjects, measured). Hashing an empty body up front costs nothing.
 */
final class NoChunkEncoding implements SdkPlugin {
  static final NoChunkEncoding INSTANCE = new NoChunkEncoding();

  private NoChunkEncoding() {}

  @Override
  public void configureClient(SdkServiceClientConfiguration.Builder config) {
    S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
    S3AuthSchemeProvider resolved = s3.authSchemeProvider();
    s3.authSchemeProvider(
        params ->
            resolved.resolveAuthScheme(params).stream()
                .map(
                    option ->
                        option.toBuilder()
                            .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
                            .build())
                .toList());
  }
}
