package io.uploadstream.upload;

/**
 * The checksum each part carries as a header so the store verifies it on arrival. CRC32C is cheap
 * (hardware-accelerated) and S3, MinIO and S3Proxy verify it; MD5 ({@code Content-MD5}) is for
 * stores that do not support the {@code x-amz-checksum-*} headers.
 */
public enum ChecksumAlgorithm {
  CRC32C,
  MD5;

  /** Why MD5 and the SDK's own checksums do not mix: the one place this rule is stated. */
  public static final String MD5_WITH_SDK_CHECKSUMS =
      "with flexible checksums on, the SDK adds its own CRC32 to every part as an aws-chunked"
          + " trailer beside our Content-MD5, and stores that want MD5 reject it";

  /**
   * Whether parts checked with this algorithm can go through an S3 client that adds the SDK's
   * flexible checksums ({@code WHEN_SUPPORTED}); MD5 needs them off ({@code WHEN_REQUIRED}).
   */
  public boolean worksWith(boolean flexibleChecksums) {
    return this != MD5 || !flexibleChecksums;
  }
}
