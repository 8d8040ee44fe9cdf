package io.uploadstream.upload;

import static io.uploadstream.upload.UploaderSettings.MAX_PART_SIZE_BYTES;
import static io.uploadstream.upload.UploaderSettings.MIB;
import static io.uploadstream.upload.UploaderSettings.MIN_PART_SIZE_BYTES;

/**
 * How one file is cut into parts. Part numbers run from 1 to {@code partCount}. A file smaller than
 * the part size (an empty file too) is sent whole in one PutObject: {@code singlePut} is true and
 * its one "part" is the whole file.
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
    if (fileSizeBytes < 0) {
      throw new IllegalArgumentException(
          "fileSizeBytes must not be negative, was " + fileSizeBytes);
    }
    if (fileSizeBytes > MAX_OBJECT_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "fileSizeBytes must be at most 5 TiB (S3's largest object), was " + fileSizeBytes);
    }
    long partSizeBytes = partSizeFor(fileSizeBytes, preferredPartSizeBytes);
    if (fileSizeBytes < partSizeBytes) {
      return new PartPlan(fileSizeBytes, partSizeBytes, 1, true);
    }
    int partCount = Math.toIntExact(ceilDiv(fileSizeBytes, partSizeBytes));
    return new PartPlan(fileSizeBytes, partSizeBytes, partCount, false);
  }

  private static long partSizeFor(long fileSizeBytes, long preferredPartSizeBytes) {
    long smallestAllowed = ceilDiv(fileSizeBytes, MAX_PARTS);
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
  int length(int partNumber) {
    long offset = offset(partNumber);
    return Math.toIntExact(Math.min(partSizeBytes, fileSizeBytes - offset));
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
