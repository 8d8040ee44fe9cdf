package io.uploadstream.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Object keys as the seed builds them, {@code {prefix}/{yyyyMMddHHmmss}-{fileName}}, made safe. The
 * timestamp is the request's {@code requestedAt} in UTC, never the wall clock, so a redelivered
 * request maps to the same key and overwrites its own object instead of creating a second one.
 * Every problem is an {@link InvalidKeyException} whose message names it.
 */
public final class ObjectKeys {

  /** S3's limit on a key, counted in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  // Explicit UTC and root locale: neither the JVM's default zone nor its locale may change a key.
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** How many hex digits of the requestId's SHA-256 a renamed key carries. */
  static final int RENAME_HASH_HEX_DIGITS = 8;

  private static final int TIMESTAMP_LENGTH = "yyyyMMddHHmmss-".length();

  private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");

  private ObjectKeys() {}

  /**
   * The key for a file requested at {@code requestedAt}: same inputs, same key.
   *
   * @param fileName the request's file name, or {@link #defaultFileName} of its path
   * @throws InvalidKeyException if the prefix or file name is unsafe, the time does not fit the
   *     14-digit timestamp, or the key exceeds {@value #MAX_KEY_BYTES} UTF-8 bytes
   */
  public static String key(String prefix, Instant requestedAt, String fileName) {
    Objects.requireNonNull(requestedAt, "requestedAt");
    String safePrefix = normalizePrefix(prefix);
    checkFileName(fileName);
    String key = safePrefix + "/" + timestamp(requestedAt) + "-" + fileName;
    int keyBytes = key.getBytes(UTF_8).length;
    if (keyBytes > MAX_KEY_BYTES) {
      throw new InvalidKeyException(
          "key is "
              + keyBytes
              + " bytes in UTF-8, S3 allows at most "
              + MAX_KEY_BYTES
              + ": "
              + KeyCharacters.quote(key));
    }
    return key;
  }

  /**
   * The prefix with leading and trailing {@code /} removed and repeated {@code /} collapsed, e.g.
   * {@code "/a//b/"} to {@code "a/b"}.
   *
   * @throws InvalidKeyException if it has control characters, a backslash or a {@code .} or {@code
   *     ..} segment, or nothing is left
   */
  public static String normalizePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    KeyCharacters.check("prefix", prefix);
    String normalized = prefix.replaceAll("/{2,}", "/").replaceAll("^/|/$", "");
    if (normalized.isEmpty()) {
      throw new InvalidKeyException(
          "prefix is empty once leading and trailing '/' are removed: "
              + KeyCharacters.quote(prefix));
    }
    for (String segment : normalized.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidKeyException(
            "prefix must not have a '" + segment + "' segment: " + KeyCharacters.quote(prefix));
      }
    }
    return normalized;
  }

  /**
   * The base name of {@code filePath} (after its last {@code /}): the file name used when the
   * request names none. It is checked when the key is built.
   *
   * @throws InvalidKeyException if the path ends with {@code /} or is empty
   */
  public static String defaultFileName(String filePath) {
    Objects.requireNonNull(filePath, "filePath");
    String baseName = filePath.substring(filePath.lastIndexOf('/') + 1);
    if (baseName.isEmpty()) {
      throw new InvalidKeyException(
          "filePath has no file name to default to: " + KeyCharacters.quote(filePath));
    }
    return baseName;
  }

  /**
   * The key an upload of request {@code requestId} takes instead of {@code key} when {@code key}
   * holds another request's object ({@code upload.on-key-conflict=rename}): the file name gets
   * {@code -} and the first {@value #RENAME_HASH_HEX_DIGITS} hex digits of the SHA-256 of the
   * requestId's UTF-8 bytes before its extension, e.g. {@code tmp/20250816163104-photo.jpg} to
   * {@code tmp/20250816163104-photo-1a2b3c4d.jpg}. The same request always gets the same key.
   *
   * <p>The file name is the last segment of the key after its {@code yyyyMMddHHmmss-} timestamp;
   * its extension starts at its last {@code .} unless that is its first or last character ({@code
   * .bashrc} and {@code notes.} have none, {@code a.tar.gz} has {@code .gz}). If the result would
   * exceed {@value #MAX_KEY_BYTES} UTF-8 bytes, characters are dropped from the end of the stem
   * (then of the extension) until it fits.
   *
   * @throws InvalidKeyException if even without its file name the key would be too long
   */
  public static String renamed(String key, String requestId) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestId, "requestId");
    int nameStart = key.lastIndexOf('/') + 1;
    if (key.length() - nameStart > TIMESTAMP_LENGTH
        && key.substring(nameStart, nameStart + TIMESTAMP_LENGTH).matches("\\d{14}-")) {
      nameStart += TIMESTAMP_LENGTH;
    }
    String name = key.substring(nameStart);
    int dot = name.lastIndexOf('.');
    boolean hasExtension = dot > 0 && dot < name.length() - 1;
    String stem = hasExtension ? name.substring(0, dot) : name;
    String extension = hasExtension ? name.substring(dot) : "";
    String hash = "-" + HexFormat.of().formatHex(RequestIdMetadata.sha256(requestId));
    hash = hash.substring(0, 1 + RENAME_HASH_HEX_DIGITS);
    String head = key.substring(0, nameStart);
    int room = MAX_KEY_BYTES - utf8Length(head) - utf8Length(hash);
    if (room < 0) {
      throw new InvalidKeyException(
          "no renamed key fits in " + MAX_KEY_BYTES + " bytes: " + KeyCharacters.quote(key));
    }
    String fittedStem = fitted(stem, room - utf8Length(extension));
    String fittedExtension = fitted(extension, room - utf8Length(fittedStem));
    return head + fittedStem + hash + fittedExtension;
  }

  /** The longest prefix of {@code text}, whole code points, of at most {@code maxBytes} bytes. */
  private static String fitted(String text, int maxBytes) {
    int end = text.length();
    while (end > 0 && utf8Length(text.substring(0, end)) > maxBytes) {
      end = text.offsetByCodePoints(end, -1);
    }
    return text.substring(0, end);
  }

  private static int utf8Length(String text) {
    return text.getBytes(UTF_8).length;
  }

  static void checkFileName(String fileName) {
    Objects.requireNonNull(fileName, "fileName (use defaultFileName(filePath) when none is given)");
    if (fileName.isEmpty()) {
      throw new InvalidKeyException("fileName is empty");
    }
    if (fileName.equals(".") || fileName.equals("..")) {
      throw new InvalidKeyException("fileName must not be '" + fileName + "'");
    }
    if (fileName.indexOf('/') >= 0) {
      throw new InvalidKeyException(
          "fileName must not contain '/': " + KeyCharacters.quote(fileName));
    }
    KeyCharacters.check("fileName", fileName);
  }

  private static String timestamp(Instant requestedAt) {
    if (requestedAt.isBefore(YEAR_0) || !requestedAt.isBefore(YEAR_10000)) {
      throw new InvalidKeyException(
          "requestedAt must lie in the years 0000 to 9999 to fit yyyyMMddHHmmss, was "
              + requestedAt);
    }
    return TIMESTAMP.format(requestedAt);
  }
}
