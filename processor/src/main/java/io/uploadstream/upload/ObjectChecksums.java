package io.uploadstream.upload;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How S3 (and MinIO, S3Proxy) derive a whole object's ETag and CRC32C from its parts, so a stored
 * object can be compared with a local file without downloading it:
 *
 * <ul>
 *   <li>ETag of a single PutObject: the hex MD5 of the content (unencrypted or SSE-S3 objects);
 *   <li>ETag of a multipart upload: the hex MD5 of the concatenated binary part MD5s, then {@code
 *       -N} for N parts;
 *   <li>composite CRC32C of a multipart upload: base64 of the CRC32C of the concatenated big-endian
 *       part CRC32Cs, then {@code -N}; a full-object CRC32C is that of the content, no suffix.
 * </ul>
 */
final class ObjectChecksums {
  private static final Pattern PLAIN_MD5 = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern PART_COUNT_SUFFIX = Pattern.compile(".+-(\\d{1,5})");

  private ObjectChecksums() {}

  /** The ETag S3 gives a multipart upload of parts with these MD5s. */
  static String multipartEtag(List<byte[]> partMd5s) {
    return hex(digestOfConcatenated(ChecksumAlgorithm.MD5, partMd5s)) + "-" + partMd5s.size();
  }

  /** The composite CRC32C S3 reports for a multipart upload of parts with these CRC32Cs. */
  static String compositeCrc32c(List<byte[]> partCrc32cs) {
    return base64(digestOfConcatenated(ChecksumAlgorithm.CRC32C, partCrc32cs))
        + "-"
        + partCrc32cs.size();
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static String base64(byte[] digest) {
    return Base64.getEncoder().encodeToString(digest);
  }

  /** An ETag without the quotes S3 puts around it; {@code null} stays {@code null}. */
  static String unquoted(String etag) {
    return etag == null ? null : etag.replace("\"", "");
  }

  /** Whether an (unquoted) ETag has the form of a plain MD5: 32 hex digits, no part count. */
  static boolean isPlainMd5(String etag) {
    return etag != null && PLAIN_MD5.matcher(etag).matches();
  }

  /**
   * The part count N of a value ending in {@code -N} (multipart ETag, composite checksum); else 0.
   */
  static int partCount(String value) {
    if (value == null) {
      return 0;
    }
    Matcher m = PART_COUNT_SUFFIX.matcher(value);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static byte[] digestOfConcatenated(ChecksumAlgorithm algorithm, List<byte[]> digests) {
    Digest digest = Digest.of(algorithm);
    digests.forEach(d -> digest.update(d, 0, d.length));
    return digest.finish();
  }
}
