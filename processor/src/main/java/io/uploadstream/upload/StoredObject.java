package io.uploadstream.upload;

import io.uploadstream.contract.UploadResult.Checksum;

/**
 * What the store confirmed for a finished upload: its ETag (quotes removed) and the whole object's
 * checksum as the store reported it; {@code reused} when the object was already stored and nothing
 * was sent.
 *
 * <p>In CRC32C mode the checksum is {@code CRC32C} with the store's value: the CRC32C of the object
 * for a single PutObject, the composite {@code base64-N} (CRC32C of the parts' CRC32Cs) for a
 * multipart upload. In MD5 mode, or when the store reports no CRC32C, it is {@code ETAG} with the
 * ETag: the hex MD5 of the object for a single PutObject, {@code hex-N} (MD5 of the parts' MD5s)
 * for a multipart upload, as S3 computes ETags for unencrypted objects.
 */
record StoredObject(String etag, Checksum checksum, boolean reused) {
  static final String CRC32C = "CRC32C";
  static final String ETAG = "ETAG";

  static StoredObject of(String etag, String reportedCrc32c) {
    String unquoted = etag == null ? "" : etag.replace("\"", "");
    Checksum checksum =
        reportedCrc32c != null
            ? new Checksum(CRC32C, reportedCrc32c)
            : new Checksum(ETAG, unquoted);
    return new StoredObject(unquoted, checksum, false);
  }

  /** The same object, found stored already rather than sent. */
  StoredObject asReused() {
    return new StoredObject(etag, checksum, true);
  }
}
