package io.uploadstream.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The characters a key part may not hold, and how to show a bad value in a message. */
final class KeyCharacters {

  private static final int MAX_QUOTED_CHARS = 200;

  private KeyCharacters() {}

  /**
   * Rejects C0 and C1 control characters and DEL (invisible, and they break headers and logs),
   * backslash (a path separator to some tools and CDNs) and unpaired surrogates (not encodable as
   * UTF-8, so the key's bytes would silently differ from its text).
   */
  static void check(String what, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isControl(c)) {
        throw new InvalidKeyException(
            what
                + " must not contain control character "
                + codePoint(c)
                + " (at index "
                + i
                + "): "
                + quote(value));
      }
      if (c == '\\') {
        throw new InvalidKeyException(what + " must not contain '\\': " + quote(value));
      }
    }
    if (!UTF_8.newEncoder().canEncode(value)) {
      throw new InvalidKeyException(
          what + " is not valid Unicode (unpaired surrogate): " + quote(value));
    }
  }

  static boolean isControl(char c) {
    return c <= 0x1F || (c >= 0x7F && c <= 0x9F);
  }

  /** The value in double quotes, control characters escaped, cut short if long. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(value.length(), MAX_QUOTED_CHARS);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      out.append(isControl(c) ? "\\u" + String.format("%04X", (int) c) : String.valueOf(c));
    }
    out.append('"');
    if (shown < value.length()) {
      out.append(" (").append(value.length() - shown).append(" more characters)");
    }
    return out.toString();
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}
