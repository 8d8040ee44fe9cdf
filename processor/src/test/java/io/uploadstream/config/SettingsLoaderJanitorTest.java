package io.uploadstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.client.ConfigException;
import io.uploadstream.upload.JanitorSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderJanitorTest {

  private static JanitorSettings load(Map<String, String> janitor) {
    Map<String, String> props = new HashMap<>(janitor);
    props.put("s3.bucket", "uploads");
    props.put("processor.allowed-roots", "/data/in");
    return SettingsLoader.fromProperties(props).processorSettings().janitor();
  }

  @Test
  void defaults_sweepTheWholeBucketHourlyForUploadsOlderThanADay() {
    assertThat(load(Map.of())).isEqualTo(JanitorSettings.DEFAULTS);
  }

  @Test
  void settings_areRead() {
    JanitorSettings janitor =
        load(
            Map.of(
                "janitor.interval", "15m",
                "janitor.max-age", "2d",
                "janitor.prefixes", " tmp , uploads/images ,"));

    assertThat(janitor.interval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(janitor.maxAge()).isEqualTo(Duration.ofDays(2));
    assertThat(janitor.prefixes()).containsExactly("tmp", "uploads/images");
  }

  @ParameterizedTest(name = "interval {0}")
  @CsvSource({"0", "0s"})
  void zeroInterval_turnsTheJanitorOff(String interval) {
    assertThat(load(Map.of("janitor.interval", interval)).enabled()).isFalse();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"janitor.max-age, 10m", "janitor.max-age, soon", "janitor.interval, hourly"})
  void badValue_failsAtStart_namingTheSetting(String key, String value) {
    assertThatThrownBy(() -> load(Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).setting()).isEqualTo(key));
  }
}
