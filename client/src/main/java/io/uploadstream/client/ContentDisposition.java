package io.uploadstream.client;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Builds a {@code Content-Disposition} that makes browsers save a download under a file's name,
 * safely for any name (RFC 6266): {@code attachment; filename="fallback";
 * filename*=UTF-8''percent-encoded}. The {@code filename*} parameter carries the exact name,
 * percent-encoded in UTF-8 (RFC 8187), so spaces, quotes, non-ASCII letters and control characters
 * can neither break the header nor inject another; {@code filename} is a plain-ASCII fallback for
 * old clients, every other character replaced by {@code _}. The header stays within the request
 * schema's 1,024 characters: a name too long for that is shortened before its extension.
 */
public final class ContentDisposition {
  /** The longest header value a request may carry. */
  static final int MAX_CHARS = 1024;

  private static final String ATTR_CHARS = "!#$&+-.^_`|~";

  private ContentDisposition() {}

  /** {@code attachment} with {@code fileName} as the name to save under. */
  public static String attachment(String fileName) {
    if (fileName == null || fileName.isEmpty()) {
      throw new IllegalArgumentException("an attachment needs a file name");
    }
    String name = fileName;
    String header = header(name);
    while (header.length() > MAX_CHARS) {
      name = shortened(name);
      header = header(name);
    }
    return header;
  }

  private static String header(String name) {
    return "attachment; filename=\""
        + asciiFallback(name)
        + "\"; filename*=UTF-8''"
        + encoded(name);
  }

  /** Drops the last code point before the extension (or of the name, without one). */
  private static String shortened(String name) {
    int dot = name.lastIndexOf('.');
    int end = dot > 0 && name.length() - dot <= 16 ? dot : name.length();
    int cut = name.offsetByCodePoints(end, -1);
    return name.substring(0, cut) + name.substring(end);
  }

  private static String asciiFallback(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints()
        .forEach(c -> out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
    return out.toString();
  }

  /** RFC 8187 {@code value-chars}: attr-char as is, every other byte of the UTF-8 as %XX. */
  private static String encoded(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(UTF_8)) {
      int c = b & 0xFF;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHARS.indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
