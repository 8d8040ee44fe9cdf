package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DevSettingsTest {

  @Test
  void consumptionNotGiven_leavesItToSetAndTheEnvironment() {
    Map<String, String> set = Map.of("upload.cache-control", "no-cache");

    assertThat(DevSettings.withConsumption(null, set)).isEqualTo(set);
  }

  @Test
  void shareConsumption_getsAShareGroupOfItsOwn_andSetStillWins() {
    assertThat(DevSettings.withConsumption("share", Map.of()))
        .containsEntry("processor.consumption", "share")
        .containsEntry("kafka.group.id", "dev-share");
    assertThat(DevSettings.withConsumption("share", Map.of("kafka.group.id", "mine")))
        .containsEntry("kafka.group.id", "mine");
    assertThat(DevSettings.withConsumption("group", Map.of()))
        .containsEntry("processor.consumption", "group")
        .doesNotContainKey("kafka.group.id");
  }
}
