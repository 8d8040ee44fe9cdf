package io.uploadstream.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that sends {@code UNSIGNED-PAYLOAD} over plain HTTP too, as the SDK already does over HTTPS
 * (and as its async client does over HTTP). Over plain HTTP the sync SDK always signs the body:
 * SHA-256 of every byte plus an HMAC per 128 KiB chunk in {@code aws-chunked} framing, which costs
 * CPU on both ends and buys nothing the uploader's checksum header does not: the store verifies
 * that header (it is itself signed) against the bytes it receives.
 *
 * <p>How: the SigV4 signer decides "plain HTTP, so sign the payload" from the request's scheme,
 * which is not part of what SigV4 signs. The request is signed as if it were HTTPS with payload
 * signing off, then sent over its real scheme. The port is mapped so the signed {@code Host} header
 * stays what the HTTP client sends.
 *
 * <p>What is given up: a CRC32C (or MD5) detects corruption but is not a MAC, so an active attacker
 * on the plain-HTTP path could swap the body for another with the same checksum. Use plain HTTP
 * with this only on trusted networks (same host, private network); over HTTPS nothing changes.
 */
final class UnsignedPayloadAuthScheme implements AwsV4AuthScheme {
  private final AwsV4HttpSigner signer = new Signer(AwsV4HttpSigner.create());

  @Override
  public String schemeId() {
    return SCHEME_ID;
  }

  @Override
  public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
    return providers.identityProvider(AwsCredentialsIdentity.class);
  }

  @Override
  public AwsV4HttpSigner signer() {
    return signer;
  }

  private static final class Signer implements AwsV4HttpSigner {
    private final AwsV4HttpSigner delegate;

    Signer(AwsV4HttpSigner delegate) {
      this.delegate = delegate;
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      SdkHttpRequest original = request.request();
      if (!"http".equals(original.protocol()) || request.payload().isEmpty()) {
        return delegate.sign(request);
      }
      SdkHttpRequest asHttps =
          original.toBuilder().protocol("https").port(httpsPort(original.port())).build();
      SignedRequest signed =
          delegate.sign(
              request.copy(r -> r.request(asHttps).putProperty(PAYLOAD_SIGNING_ENABLED, false)));
      SdkHttpRequest sent =
          signed.request().toBuilder().protocol("http").port(original.port()).build();
      return signed.copy(s -> s.request(sent));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(
        AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      return delegate.signAsync(request);
    }

    /** Port 80 is HTTP's default; as HTTPS it must read 443 so Host still carries no port. */
    private static int httpsPort(int httpPort) {
      return httpPort == 80 ? 443 : httpPort;
    }
  }
}
