package io.uploadstream.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3ConnectionSettingsTest {

  @Test
  void toString_neverShowsTheSecret() {
    S3ConnectionSettings settings =
        S3ConnectionSettings.endpoint(
            URI.create("http://127.0.0.1:9000"), "us-east-1", "key-id", "very-secret-value");

    assertThat(settings.toString())
        .doesNotContain("very-secret-value")
        .contains("key-id", "secretKey=****", "127.0.0.1:9000");
  }

  @Test
  void keys_mustBeBothSetOrBothAbsent() {
    assertThatThrownBy(
            () ->
                new S3ConnectionSettings(
                    null,
                    "eu-west-1",
                    false,
                    "key-id",
                    null,
                    8,
                    true,
                    false,
                    S3ConnectionSettings.Timeouts.DEFAULTS,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
    assertThat(S3ConnectionSettings.aws("eu-west-1").usesDefaultCredentials()).isTrue();
  }

  @Test
  void badValues_areRejectedNamingTheValue() {
    assertThatThrownBy(() -> S3ConnectionSettings.aws("eu-west-1").withMaxConnections(0))
        .hasMessageContaining("maxConnections must be at least 1, was 0");
    assertThatThrownBy(
            () ->
                new S3ConnectionSettings.Timeouts(
                    Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("socketRead timeout must be positive, was PT0S");
    assertThatThrownBy(() -> S3ConnectionSettings.aws(" "))
        .hasMessageContaining("region must not be blank");
  }
}
