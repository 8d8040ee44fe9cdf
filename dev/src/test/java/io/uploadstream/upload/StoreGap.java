package io.uploadstream.upload;

import java.util.EnumSet;
import java.util.Set;

/**
 * A way a store under test departs from S3 that some upload scenario depends on. Each names the
 * {@link StoreProbe} that shows it, and {@code S3CompatibilityIT} checks the probe still does, so a
 * scenario is skipped (an assumption naming the gap) only for a measured gap, never silently.
 */
enum StoreGap {
  /** S3 answers BadDigest; S3Mock answers 400 BadRequest to a wrong x-amz-checksum-crc32c. */
  CHECKSUM_MISMATCH_IS_BAD_REQUEST("UploadPart: wrong CRC32C header refused"),
  /** S3Mock accepts an UploadPart whose Content-MD5 does not match its body. */
  PART_CONTENT_MD5_NOT_VERIFIED("UploadPart: wrong Content-MD5 refused"),
  /** S3Mock drops the parts of every upload of a key when one of them is aborted. */
  ABORT_DROPS_OTHER_UPLOADS_OF_KEY("abort one of two uploads of a key: other kept"),
  /**
   * S3Mock deletes the object stored at a key when an upload of that key is aborted: a scenario in
   * which an upload whose conditional Complete was refused (412) is aborted, and the other writer's
   * object must stay, cannot run there.
   */
  ABORT_DELETES_THE_KEYS_OBJECT("abort an upload of a key: the key's object kept"),
  /** S3Proxy implements no tagging: x-amz-tagging is answered 501 Not Implemented. */
  NO_TAGGING("PutObject x-amz-tagging"),
  /** S3Proxy stores no storage class given to CreateMultipartUpload (PutObject keeps it). */
  MULTIPART_STORAGE_CLASS_DROPPED("CreateMultipartUpload STANDARD_IA"),
  /** S3Mock stores no server-side encryption given to CreateMultipartUpload. */
  MULTIPART_SSE_DROPPED("CreateMultipartUpload AES256"),
  /** S3Proxy accepts any KMS key id; S3 refuses one it does not know. */
  UNKNOWN_KMS_KEY_ACCEPTED("PutObject aws:kms unknown key refused"),
  /** S3Mock stores tag values as sent, URL-encoded, where S3 decodes them. */
  TAG_VALUES_NOT_DECODED("x-amz-tagging values URL-decoded"),
  /**
   * MinIO encrypts only with a KMS configured (not measured here: MinIO runs only where Docker
   * does, and S3CompatibilityIT probes S3Proxy and S3Mock).
   */
  NO_SERVER_SIDE_ENCRYPTION("PutObject AES256"),
  /** S3Mock reports no x-amz-tagging-count on GET: an object's tags go unseen without asking. */
  NO_TAG_COUNT("GetObject: x-amz-tagging-count");

  static final Set<StoreGap> NONE = EnumSet.noneOf(StoreGap.class);

  static final Set<StoreGap> OF_S3PROXY =
      EnumSet.of(NO_TAGGING, MULTIPART_STORAGE_CLASS_DROPPED, UNKNOWN_KMS_KEY_ACCEPTED);

  static final Set<StoreGap> OF_S3MOCK =
      EnumSet.of(
          CHECKSUM_MISMATCH_IS_BAD_REQUEST,
          PART_CONTENT_MD5_NOT_VERIFIED,
          ABORT_DROPS_OTHER_UPLOADS_OF_KEY,
          ABORT_DELETES_THE_KEYS_OBJECT,
          MULTIPART_SSE_DROPPED,
          TAG_VALUES_NOT_DECODED,
          NO_TAG_COUNT);

  final String probe;

  StoreGap(String probe) {
    this.probe = probe;
  }

  @Override
  public String toString() {
    return name() + " (probe: " + probe + ")";
  }
}
