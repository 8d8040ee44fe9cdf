package io.uploadstream.upload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32C;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The checksum one part (or a single PutObject body) carries as a request header, so the store
 * verifies the bytes on arrival and answers BadDigest when they differ: {@code
 * x-amz-checksum-crc32c} for CRC32C, {@code Content-MD5} for MD5. Values are base64 of the
 * big-endian digest bytes, as S3 expects them.
 */
record PartChecksum(ChecksumAlgorithm algorithm, String base64) {

  PartChecksum {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(base64, "base64");
  }

  static PartChecksum of(ChecksumAlgorithm algorithm, byte[] data, int lengthBytes) {
    return switch (algorithm) {
      case CRC32C -> new PartChecksum(algorithm, crc32c(data, lengthBytes));
      case MD5 -> new PartChecksum(algorithm, md5(data, lengthBytes));
    };
  }

  /** The header value for a digest already computed (big-endian bytes, as {@link Digest} gives). */
  static PartChecksum fromDigest(ChecksumAlgorithm algorithm, byte[] digest) {
    return new PartChecksum(algorithm, Base64.getEncoder().encodeToString(digest));
  }

  static String crc32c(byte[] data, int lengthBytes) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, lengthBytes);
    byte[] bigEndian = ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array();
    return Base64.getEncoder().encodeToString(bigEndian);
  }

  static String md5(byte[] data, int lengthBytes) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(data, 0, lengthBytes);
      return Base64.getEncoder().encodeToString(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support MD5", e);
    }
  }

  UploadPartRequest.Builder applyTo(UploadPartRequest.Builder request) {
    return switch (algorithm) {
      case CRC32C -> request.checksumCRC32C(base64);
      case MD5 -> request.contentMD5(base64);
    };
  }

  PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
    return switch (algorithm) {
      case CRC32C -> request.checksumCRC32C(base64);
      case MD5 -> request.contentMD5(base64);
    };
  }

  /** The part as CompleteMultipartUpload lists it; S3 wants the part checksums there too. */
  CompletedPart completedPart(int partNumber, String etag) {
    CompletedPart.Builder part = CompletedPart.builder().partNumber(partNumber).eTag(etag);
    if (algorithm == ChecksumAlgorithm.CRC32C) {
      part.checksumCRC32C(base64);
    }
    return part.build();
  }
}
