package io.uploadstream.cli;

/** {@code --output}: lines for people, or one JSON object per line for programs (jq). */
enum OutputFormat {
  TEXT,
  JSON
}
