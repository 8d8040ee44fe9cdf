package io.uploadstream.upload;

import java.util.Objects;

/**
 * How files are uploaded. {@code partSizeBytes} is the preferred part size (rounded up to a whole
 * MiB, and grown per file so no file needs more than 10,000 parts); files smaller than it go up in
 * one PutObject. At most {@code partsInFlight} parts of one file are sent at once, so an upload
 * holds at most {@code partsInFlight × partSize} bytes of buffers whatever the file size: grown
 * parts are streamed from the file instead of buffered, and so is every part above 1 GiB. {@code
 * keyConflicts} says how an object is kept from overwriting another request's; {@code encryption}
 * is the server-side encryption every object is written with.
 */
public record UploaderSettings(
    long partSizeBytes,
    int partsInFlight,
    ChecksumAlgorithm checksumAlgorithm,
    RetrySettings retry,
    KeyConflictSettings keyConflicts,
    Encryption encryption) {

  public static final long MIB = 1024L * 1024L;

  /** S3's smallest part (all but the last part of an upload). */
  public static final long MIN_PART_SIZE_BYTES = 5 * MIB;

  /** S3's largest part. */
  public static final long MAX_PART_SIZE_BYTES = 5L * 1024 * MIB;

  public static final UploaderSettings DEFAULTS =
      new UploaderSettings(8 * MIB, 4, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);

  public UploaderSettings {
    Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(keyConflicts, "keyConflicts");
    Objects.requireNonNull(encryption, "encryption");
    if (partSizeBytes < MIN_PART_SIZE_BYTES || partSizeBytes > MAX_PART_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "partSizeBytes must be between 5 MiB and 5 GiB, was " + partSizeBytes);
    }
    if (partsInFlight < 1) {
      throw new IllegalArgumentException("partsInFlight must be at least 1, was " + partsInFlight);
    }
  }

  /** Settings that answer key conflicts as {@link KeyConflictSettings#DEFAULTS} does. */
  public UploaderSettings(
      long partSizeBytes,
      int partsInFlight,
      ChecksumAlgorithm checksumAlgorithm,
      RetrySettings retry) {
    this(partSizeBytes, partsInFlight, checksumAlgorithm, retry, KeyConflictSettings.DEFAULTS);
  }

  /** Settings that ask for no server-side encryption (the bucket's default applies). */
  public UploaderSettings(
      long partSizeBytes,
      int partsInFlight,
      ChecksumAlgorithm checksumAlgorithm,
      RetrySettings retry,
      KeyConflictSettings keyConflicts) {
    this(partSizeBytes, partsInFlight, checksumAlgorithm, retry, keyConflicts, Encryption.NONE);
  }

  /** These settings answering key conflicts as {@code keyConflicts} says. */
  public UploaderSettings withKeyConflicts(KeyConflictSettings keyConflicts) {
    return new UploaderSettings(
        partSizeBytes, partsInFlight, checksumAlgorithm, retry, keyConflicts, encryption);
  }

  /** These settings writing every object with {@code encryption}. */
  public UploaderSettings withEncryption(Encryption encryption) {
    return new UploaderSettings(
        partSizeBytes, partsInFlight, checksumAlgorithm, retry, keyConflicts, encryption);
  }
}
