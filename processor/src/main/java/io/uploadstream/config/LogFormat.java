package io.uploadstream.config;

/** Log line format: human-readable text or one JSON object per line. */
public enum LogFormat {
  TEXT,
  JSON
}
