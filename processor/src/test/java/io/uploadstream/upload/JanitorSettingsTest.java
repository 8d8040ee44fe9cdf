package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JanitorSettingsTest {

  @Test
  void defaults_sweepHourlyForUploadsOlderThanADay() {
    assertThat(JanitorSettings.DEFAULTS.interval()).isEqualTo(Duration.ofHours(1));
    assertThat(JanitorSettings.DEFAULTS.maxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(JanitorSettings.DEFAULTS.prefixes()).isEmpty();
    assertThat(JanitorSettings.DEFAULTS.enabled()).isTrue();
  }

  @Test
  void zeroInterval_turnsTheJanitorOff() {
    assertThat(new JanitorSettings(Duration.ZERO, Duration.ofHours(24), List.of()).enabled())
        .isFalse();
  }

  @Test
  void maxAgeBelowAnHour_isRejectedWithTheValue() {
    assertThatThrownBy(
            () -> new JanitorSettings(Duration.ofHours(1), Duration.ofMinutes(5), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAge")
        .hasMessageContaining("PT5M");
  }

  @Test
  void blankPrefix_isRejected() {
    assertThatThrownBy(
            () -> new JanitorSettings(Duration.ofHours(1), Duration.ofHours(24), List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefixes");
  }
}
