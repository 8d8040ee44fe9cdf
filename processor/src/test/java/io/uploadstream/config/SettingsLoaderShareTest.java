package io.uploadstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.client.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** processor.consumption and the share.* settings. */
class SettingsLoaderShareTest {

  private static Map<String, String> share() {
    Map<String, String> props = new HashMap<>();
    props.put("s3.bucket", "uploads");
    props.put("processor.allowed-roots", "/data/in");
    props.put("processor.consumption", "share");
    return props;
  }

  private static Settings load(Map<String, String> props) {
    return SettingsLoader.fromProperties(props).processorSettings();
  }

  @Test
  void groupConsumption_isTheDefault_andKeepsExactlyOnce() {
    Map<String, String> props = share();
    props.remove("processor.consumption");

    Settings settings = load(props);

    assertThat(settings.processor().consumption()).isEqualTo(Consumption.GROUP);
    assertThat(settings.processor().delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
  }

  @Test
  void shareConsumption_deliversAtLeastOnce_withTheShareDefaults() {
    Settings settings = load(share());

    assertThat(settings.processor().consumption()).isEqualTo(Consumption.SHARE);
    assertThat(settings.processor().delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
    assertThat(settings.share().lockDuration()).isEmpty();
    assertThat(settings.share().deliveryLimit()).isEqualTo(5);
    assertThat(settings.share().setGroupConfigs()).isTrue();
    assertThat(settings.share().stallTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void shareConsumption_withExactlyOnceAskedFor_isRefusedSayingWhy() {
    Map<String, String> props = share();
    props.put("processor.delivery", "exactly-once");

    assertThatThrownBy(() -> load(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("processor.delivery")
        .hasMessageContaining("transaction");
  }

  @Test
  void shareSettings_outsideKafkasBounds_areRefusedNamingTheSetting() {
    Map<String, String> props = share();
    props.put("share.delivery-limit", "11");
    props.put("share.lock-duration", "500ms");
    props.put("processor.consumption", "queue");

    assertThatThrownBy(() -> load(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("share.delivery-limit")
        .hasMessageContaining("share.lock-duration")
        .hasMessageContaining("processor.consumption");
  }
}
