package io.uploadstream.config;

import java.util.Objects;

/** Operations: the metrics and health HTTP port ({@code -1} = off, 0 = any) and log format. */
public record OpsSettings(int metricsPort, LogFormat logFormat) {
  public OpsSettings {
    Objects.requireNonNull(logFormat, "logFormat");
    new ConfigProblems()
        .require(
            metricsPort >= -1 && metricsPort <= 65535,
            Setting.METRICS_PORT,
            "must be -1 (off) or 0..65535, was " + metricsPort)
        .throwIfAny();
  }
}
