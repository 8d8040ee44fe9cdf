package io.uploadstream.upload;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    for (String segment : normalized.split("/")) {
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
