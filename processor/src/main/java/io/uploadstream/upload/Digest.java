package io.uploadstream.upload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * A running MD5 or CRC32C over bytes fed in pieces, finished as the digest's big-endian bytes (16
 * for MD5, 4 for CRC32C), the form S3 encodes in ETags and checksum headers.
 */
abstract class Digest {

  static Digest of(ChecksumAlgorithm algorithm) {
    return switch (algorithm) {
      case MD5 -> new Md5();
      case CRC32C -> new Crc32c();
    };
  }

  /** The digest of {@code data[0, lengthBytes)}. */
  static byte[] of(ChecksumAlgorithm algorithm, byte[] data, int lengthBytes) {
    Digest digest = of(algorithm);
    digest.update(data, 0, lengthBytes);
    return digest.finish();
  }

  abstract void update(byte[] data, int offset, int lengthBytes);

  abstract byte[] finish();

  private static final class Md5 extends Digest {
    private final MessageDigest md5;

    Md5() {
      try {
        md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must support MD5", e);
      }
    }

    @Override
    void update(byte[] data, int offset, int lengthBytes) {
      md5.update(data, offset, lengthBytes);
    }

    @Override
    byte[] finish() {
      return md5.digest();
    }
  }

  private static final class Crc32c extends Digest {
    private final CRC32C crc = new CRC32C();

    @Override
    void update(byte[] data, int offset, int lengthBytes) {
      crc.update(data, offset, lengthBytes);
    }

    @Override
    byte[] finish() {
      return ByteBuffer.allocate(Integer.BYTES).putInt((int) crc.getValue()).array();
    }
  }
}
