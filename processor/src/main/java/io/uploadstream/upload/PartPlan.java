package io.uploadstream.upload;

import static io.uploadstream.upload.UploaderSettings.MAX_PART_SIZE_BYTES;
import static io.uploadstream.upload.UploaderSettings.MIB;
import static io.uploadstream.upload.UploaderSettings.MIN_PART_SIZE_BYTES;

/**
 * How one file is cut into parts. Part numbers run from 1 to {@code partCount}. A file smaller than
 * the part size (an empty file too) is sent whole in one PutObject: {@code singlePut} is true and
 * its one "part" is the whole file. Files up to 10,000 × the standard part size get parts of that
 * size; larger files get larger parts, up to 525 MiB for 5 TiB (the uploader streams those instead
 * of buffering them).
 */
record PartPlan(long fileSizeBytes, long partSizeBytes, int partCount, boolean singlePut) {

  /** S3 allows at most this many parts in one multipart upload. */
  static final int MAX_PARTS = 10_000;

  /** S3's largest object. */
  static final long MAX_OBJECT_SIZE_BYTES = 5L * 1024 * 1024 * MIB;

  /**
   * The plan for a file of {@code fileSizeBytes}: parts of {@code preferredPartSizeBytes}, grown
   * when the file would otherwise need more than 10,000 parts, never below 5 MiB, rounded up to a
   * whole MiB.
   */
  static PartPlan of(long fileSizeBytes, long preferredPartSizeBytes) {
    return of(fileSizeBytes, preferredPartSizeBytes, MAX_PARTS);
  }

  /** {@code maxParts} below S3's 10,000 lets tests grow the parts of a small file. */
  static PartPlan of(long fileSizeBytes, long preferredPartSizeBytes, int maxParts) {
    if (maxParts < 1 || maxParts > MAX_PARTS) {
      throw new IllegalArgumentException("maxParts must be in [1, 10000], was " + maxParts);
    }
    if (fileSizeBytes < 0) {
      throw new IllegalArgumentException(
          "fileSizeBytes must not be negative, was " + fileSizeBytes);
    }
    if (fileSizeBytes > MAX_OBJECT_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "fileSizeBytes must be at most 5 TiB (S3's largest object), was " + fileSizeBytes);
    }
    long partSizeBytes = partSizeFor(fileSizeBytes, preferredPartSizeBytes, maxParts);
    if (fileSizeBytes < partSizeBytes) {
      return new PartPlan(fileSizeBytes, partSizeBytes, 1, true);
    }
    int partCount = Math.toIntExact(ceilDiv(fileSizeBytes, partSizeBytes));
    return new PartPlan(fileSizeBytes, partSizeBytes, partCount, false);
  }

  /**
   * The part size of every file that fits in the most parts at it: {@code preferredPartSizeBytes},
   * at least 5 MiB, rounded up to a whole MiB. No plan has smaller parts.
   */
  static long standardPartSizeBytes(long preferredPartSizeBytes) {
    return partSizeFor(0, preferredPartSizeBytes, MAX_PARTS);
  }

  private static long partSizeFor(long fileSizeBytes, long preferredPartSizeBytes, int maxParts) {
    long smallestAllowed = ceilDiv(fileSizeBytes, maxParts);
    long partSizeBytes =
        Math.max(Math.max(preferredPartSizeBytes, MIN_PART_SIZE_BYTES), smallestAllowed);
    return Math.min(ceilDiv(partSizeBytes, MIB) * MIB, MAX_PART_SIZE_BYTES);
  }

  /** Where part {@code partNumber} starts in the file. */
  long offset(int partNumber) {
    checkPartNumber(partNumber);
    return (partNumber - 1) * partSizeBytes;
  }

  /** How many bytes part {@code partNumber} holds: the part size, less for the last part. */
  long length(int partNumber) {
    long offset = offset(partNumber);
    return Math.min(partSizeBytes, fileSizeBytes - offset);
  }

  /** How many parts the outcome reports: 0 for a single PutObject. */
  int reportedPartCount() {
    return singlePut ? 0 : partCount;
  }

  private void checkPartNumber(int partNumber) {
    if (partNumber < 1 || partNumber > partCount) {
      throw new IllegalArgumentException(
          "partNumber must be in [1, " + partCount + "], was " + partNumber);
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
