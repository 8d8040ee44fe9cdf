package io.uploadstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingValuesTest {
  @ParameterizedTest
  @CsvSource({
    "8388608, 8388608",
    "8MiB, 8388608",
    "8 MiB, 8388608",
    "8mib, 8388608",
    "5MB, 5000000",
    "1GiB, 1073741824",
    "5TiB, 5497558138880",
    "10kb, 10000",
    "0, 0"
  })
  void sizes(String text, long bytes) {
    assertThat(SettingValues.parseBytes(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "-1", "8 parsecs", "1.5GiB", "99999999999TiB"})
  void badSizes(String text) {
    assertThatThrownBy(() -> SettingValues.parseBytes(text)).isInstanceOf(RuntimeException.class);
  }

  @ParameterizedTest
  @CsvSource({"200ms, PT0.2S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "PT10S, PT10S"})
  void durations(String text, String iso) {
    assertThat(SettingValues.parseDuration(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "soon", "P", "10 years"})
  void badDurations(String text) {
    assertThatThrownBy(() -> SettingValues.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
