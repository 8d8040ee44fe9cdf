package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysInFlightTest {
  private final KeysInFlight keys = new KeysInFlight();

  @Test
  void add_secondUploadOfAKey_isNotTheOnlyOne() {
    assertThat(keys.add("a/1")).isTrue();
    assertThat(keys.add("a/1")).isFalse();
    assertThat(keys.add("a/2")).isTrue();

    assertThat(keys.snapshot()).containsExactlyInAnyOrder("a/1", "a/2");
  }

  @Test
  void remove_keepsTheKeyUntilItsLastUploadEnds() {
    keys.add("a/1");
    keys.add("a/1");

    keys.remove("a/1");
    assertThat(keys.snapshot()).containsExactly("a/1");
    keys.remove("a/1");
    assertThat(keys.snapshot()).isEmpty();
    assertThat(keys.add("a/1")).isTrue();
  }
}
