package io.uploadstream.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user metadata entry that says which request wrote an object: {@value #KEY}. Every object the
 * uploader stores carries it, so a later write can tell its own object (a redelivery of the same
 * request) from another request's, which it must never overwrite.
 *
 * <p>The value is the {@code requestId} itself when it has at most {@value #MAX_PLAIN_LENGTH}
 * characters, all of {@code A-Z a-z 0-9 . _ ~ : -} (UUIDs, {@code req-0001}); otherwise {@code
 * sha256:} and the lower-case hex SHA-256 of its UTF-8 bytes. So the value is always printable
 * ASCII that every store carries unchanged in a header, and at most 71 characters: with the user's
 * at most 8 entries of 40 + 200 characters the object's metadata stays under S3's 2 KiB.
 *
 * <p>User metadata names starting with {@value #RESERVED_PREFIX} (in any case) are the processor's;
 * requests may not use them.
 */
public final class RequestIdMetadata {
  /** The metadata name (S3 stores it as {@code x-amz-meta-upload-stream-request-id}). */
  public static final String KEY = "upload-stream-request-id";

  /** User metadata names the processor keeps for itself. */
  public static final String RESERVED_PREFIX = "upload-stream-";

  static final int MAX_PLAIN_LENGTH = 71;
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z0-9._~:-]{1," + MAX_PLAIN_LENGTH + "}");

  private RequestIdMetadata() {}

  /** The value stored for {@code requestId}; the same id always gives the same value. */
  public static String value(String requestId) {
    if (PLAIN.matcher(requestId).matches()) {
      return requestId;
    }
    return "sha256:" + HexFormat.of().formatHex(sha256(requestId));
  }

  /**
   * {@code userMetadata} plus the entry naming {@code requestId}: what an object is stored with.
   */
  public static Map<String, String> stored(Map<String, String> userMetadata, String requestId) {
    Map<String, String> stored = new HashMap<>(userMetadata);
    stored.put(KEY, value(requestId));
    return Map.copyOf(stored);
  }

  /** The request entry of stored metadata (names compared ignoring case), if there is one. */
  public static Optional<String> of(Map<String, String> storedMetadata) {
    return storedMetadata.entrySet().stream()
        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(KEY))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** Whether a user metadata name is reserved for the processor. */
  public static boolean isReserved(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support SHA-256", e);
    }
  }
}
