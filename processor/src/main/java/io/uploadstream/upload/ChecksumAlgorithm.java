package io.uploadstream.upload;

/**
 * The checksum each part carries as a header so the store verifies it on arrival. CRC32C is cheap
 * (hardware-accelerated) and S3, MinIO and S3Proxy verify it; MD5 ({@code Content-MD5}) is for
 * stores that do not support the {@code x-amz-checksum-*} headers.
 */
public enum ChecksumAlgorithm {
  CRC32C,
  MD5
}
