package io.uploadstream.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Public URLs of stored objects: {@code {base}/{bucket}/{key}}, or {@code {base}/{key}} when the
 * CDN serves the bucket at its root. The base may be a CDN or an S3 endpoint. Each key segment is
 * percent-encoded per RFC 3986 (only unreserved characters are kept, so {@code +}, {@code %},
 * {@code #}, {@code ?} and spaces survive every proxy); the {@code /} between segments is kept.
 */
public final class CdnUrls {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String baseUrl;
  private final boolean bucketAtRoot;

  /**
   * @param baseUrl absolute http or https URL, optionally with a path; trailing {@code /} ignored
   * @param bucketAtRoot true when the base serves the bucket's objects at its root
   * @throws IllegalArgumentException naming the value if the base is not such a URL
   */
  public CdnUrls(String baseUrl, boolean bucketAtRoot) {
    this.baseUrl = checkBase(Objects.requireNonNull(baseUrl, "baseUrl"));
    this.bucketAtRoot = bucketAtRoot;
  }

  /** The URL of {@code key} in {@code bucket}; the bucket is left out when served at the root. */
  public String url(String bucket, String key) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    if (!bucketAtRoot && bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket is empty");
    }
    String path = encodePath(key);
    return bucketAtRoot ? baseUrl + "/" + path : baseUrl + "/" + encodeSegment(bucket) + "/" + path;
  }

  /** The normalised base, without trailing {@code /}. */
  public String baseUrl() {
    return baseUrl;
  }

  public boolean bucketAtRoot() {
    return bucketAtRoot;
  }

  @Override
  public String toString() {
    return "CdnUrls[baseUrl=" + baseUrl + ", bucketAtRoot=" + bucketAtRoot + "]";
  }

  static String encodePath(String key) {
    if (!UTF_8.newEncoder().canEncode(key)) {
      throw new IllegalArgumentException("key is not valid Unicode (unpaired surrogate)");
    }
    StringJoiner path = new StringJoiner("/");
    for (String segment : key.split("/", -1)) {
      // Clients and CDNs resolve dot segments (even encoded ones), so such a URL would name another
      // object; ObjectKeys never produces them.
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("key has a '" + segment + "' segment: " + key);
      }
      path.add(encodeSegment(segment));
    }
    return path.toString();
  }

  static String encodeSegment(String segment) {
    byte[] bytes = segment.getBytes(UTF_8);
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int octet = b & 0xFF;
      if (isUnreserved(octet)) {
        out.append((char) octet);
      } else {
        out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0x0F]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String checkBase(String baseUrl) {
    String trimmed = baseUrl.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("CDN base URL is not a valid URI: " + baseUrl, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "CDN base URL must be an absolute http or https URL, was: " + baseUrl);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("CDN base URL has no host: " + baseUrl);
    }
    // Credentials in the base would be copied into every published result.
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("CDN base URL must not contain user info");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "CDN base URL must not have a query or fragment, was: " + baseUrl);
    }
    return trimmed;
  }
}
