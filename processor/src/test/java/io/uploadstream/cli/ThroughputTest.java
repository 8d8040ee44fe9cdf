package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThroughputTest {
  @Test
  void smallTransfer_isDescribedByItsTime_notARateThatRoundsToZero() {
    assertThat(Throughput.describe(6, Duration.ofMillis(12))).isEqualTo("6 bytes in 12 ms");
    assertThat(Throughput.rate(999_999, Duration.ofMillis(1))).isEmpty();
  }

  @Test
  void largeTransfer_showsMegabytesPerSecond() {
    assertThat(Throughput.describe(52_428_800, Duration.ofMillis(520)))
        .isEqualTo("52428800 bytes in 520 ms (100.8 MB/s)");
  }

  @Test
  void durations_readAsPeopleWriteThem() {
    assertThat(Throughput.duration(Duration.ofMillis(999))).isEqualTo("999 ms");
    assertThat(Throughput.duration(Duration.ofMillis(1520))).isEqualTo("1.52 s");
    assertThat(Throughput.duration(Duration.ofSeconds(185))).isEqualTo("3m 05s");
  }

  @Test
  void instantTransfer_hasNoRate() {
    assertThat(Throughput.rate(5_000_000, Duration.ZERO)).isEmpty();
  }
}
