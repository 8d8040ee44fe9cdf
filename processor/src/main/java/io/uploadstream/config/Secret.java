package io.uploadstream.config;

import java.util.Objects;

/** A credential that never shows up in logs: {@code toString()} is masked. */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "****";
  }
}
