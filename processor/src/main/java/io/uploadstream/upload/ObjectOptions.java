package io.uploadstream.upload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What one object is stored with besides its bytes, Content-Type and user metadata: the HTTP
 * headers a CDN passes on ({@code Cache-Control}, {@code Content-Disposition}), its storage class
 * and its tags, each {@code null} (or no tags) when not set. The same options go with a PutObject
 * and with a CreateMultipartUpload, tags included ({@code x-amz-tagging}): never a second call.
 *
 * <p>The limits are S3's: header values printable ASCII (at most {@value #MAX_HEADER_CHARS}
 * characters here), storage classes upper-case names, at most {@value #MAX_TAGS} tags with keys of
 * 1 to {@value #MAX_TAG_KEY_CHARS} and values of at most {@value #MAX_TAG_VALUE_CHARS} characters
 * from S3's tag alphabet, no key starting with {@code aws:}.
 */
public record ObjectOptions(
    String cacheControl, String contentDisposition, String storageClass, Map<String, String> tags) {

  public static final int MAX_HEADER_CHARS = 1024;
  public static final int MAX_TAGS = 10;
  public static final int MAX_TAG_KEY_CHARS = 128;
  public static final int MAX_TAG_VALUE_CHARS = 256;

  public static final ObjectOptions NONE = new ObjectOptions(null, null, null, Map.of());

  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7E]+");
  private static final Pattern STORAGE_CLASS = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Zs}\\p{N}_.:/=+@-]*");

  public ObjectOptions {
    checkHeader("cacheControl", cacheControl);
    checkHeader("contentDisposition", contentDisposition);
    checkStorageClass(storageClass);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    checkTags(tags);
  }

  /** Rejects a header value S3 cannot store or that could split a header. */
  static void checkHeader(String name, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_HEADER_CHARS || !HEADER_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be 1 to "
              + MAX_HEADER_CHARS
              + " printable ASCII characters, was '"
              + value
              + "'");
    }
  }

  static void checkStorageClass(String storageClass) {
    if (storageClass != null && !STORAGE_CLASS.matcher(storageClass).matches()) {
      throw new IllegalArgumentException(
          "a storage class is an upper-case name such as STANDARD_IA, was '" + storageClass + "'");
    }
  }

  static void checkTags(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw new IllegalArgumentException(
          "S3 allows at most " + MAX_TAGS + " tags per object, got " + tags.size());
    }
    tags.forEach(
        (key, value) -> {
          if (key.isEmpty()
              || key.length() > MAX_TAG_KEY_CHARS
              || !TAG_TEXT.matcher(key).matches()
              || key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw new IllegalArgumentException(
                "tag key '"
                    + key
                    + "' is not a valid S3 tag key (1 to 128 letters, digits,"
                    + " spaces or + - = . _ : / @, not starting with aws:)");
          }
          if (value.length() > MAX_TAG_VALUE_CHARS || !TAG_TEXT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                "tag value of '"
                    + key
                    + "' is not a valid S3 tag value (at most 256 letters,"
                    + " digits, spaces or + - = . _ : / @)");
          }
        });
  }

  /**
   * The tags as {@code x-amz-tagging} carries them: a URL-encoded query string, keys sorted. Only
   * what a query value cannot hold is encoded (space, {@code + = &}, non-ASCII); {@code / : @} of
   * the tag alphabet go as they are, which stores that forget to decode (S3Mock) keep right too.
   */
  String tagging() {
    if (tags.isEmpty()) {
      return null;
    }
    return new TreeMap<>(tags)
        .entrySet().stream()
            .map(e -> queryEncoded(e.getKey()) + "=" + queryEncoded(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  private static String queryEncoded(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/:@".indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append(String.format("%%%02X", c));
      }
    }
    return out.toString();
  }

  PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
    return request
        .cacheControl(cacheControl)
        .contentDisposition(contentDisposition)
        .storageClass(storageClass)
        .tagging(tagging());
  }

  CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
    return request
        .cacheControl(cacheControl)
        .contentDisposition(contentDisposition)
        .storageClass(storageClass)
        .tagging(tagging());
  }

  /** The options set, as an error message names them: what each is and where it comes from. */
  List<String> named() {
    List<String> named = new ArrayList<>();
    if (cacheControl != null) {
      named.add("Cache-Control (cacheControl / upload.cache-control)");
    }
    if (contentDisposition != null) {
      named.add("Content-Disposition (contentDisposition / upload.content-disposition)");
    }
    if (storageClass != null) {
      named.add("storage class " + storageClass + " (storageClass / upload.storage-class)");
    }
    if (!tags.isEmpty()) {
      named.add(tags.size() + " tags, x-amz-tagging (tags / upload.tags)");
    }
    return named;
  }
}
