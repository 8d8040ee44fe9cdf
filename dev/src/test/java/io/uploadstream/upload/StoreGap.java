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
  ABORT_DELETES_THE_KEYS_OBJECT("abort an upload of a key: the key's object kept");

  static final Set<StoreGap> NONE = EnumSet.noneOf(StoreGap.class);
  static final Set<StoreGap> OF_S3MOCK = EnumSet.allOf(StoreGap.class);

  final String probe;

  StoreGap(String probe) {
    this.probe = probe;
  }

  @Override
  public String toString() {
    return name() + " (probe: " + probe + ")";
  }
}
