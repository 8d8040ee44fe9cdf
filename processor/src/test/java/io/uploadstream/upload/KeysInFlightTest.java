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

  @Test
  void hold_keepsTheKeyBetweenUploads_withoutCountingAsAnUpload() {
    KeyHold held = keys.hold("a/1");
    assertThat(keys.snapshot()).containsExactly("a/1");

    assertThat(keys.add("a/1")).as("a hold is not a second upload").isTrue();
    keys.remove("a/1");
    assertThat(keys.snapshot()).as("between two attempts").containsExactly("a/1");

    held.close();
    held.close(); // a second close releases nothing more
    assertThat(keys.snapshot()).isEmpty();
  }

  @Test
  void hold_twoHoldersOfOneKey_keepItUntilBothRelease() {
    KeyHold first = keys.hold("a/1");
    KeyHold second = keys.hold("a/1");

    first.close();
    first.close();
    assertThat(keys.snapshot()).containsExactly("a/1");
    second.close();
    assertThat(keys.snapshot()).isEmpty();
  }
}
