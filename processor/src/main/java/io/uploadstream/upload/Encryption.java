package io.uploadstream.upload;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The server-side encryption every object is written with ({@code s3.sse}, {@code
 * s3.sse-kms-key-id}): none asked for (the bucket's default applies; AWS encrypts new objects with
 * SSE-S3 anyway), {@code AES256} (SSE-S3) or {@code aws:kms} (SSE-KMS, with a key id, key ARN or
 * alias, or the account's AWS-managed key when none is given). The same headers go with a PutObject
 * and with a CreateMultipartUpload. The key id is never shown: not by {@link #toString()}, not in
 * an error message ({@link #scrub}).
 */
public record Encryption(Mode mode, String kmsKeyId) {

  /** What {@code s3.sse} names. */
  public enum Mode {
    NONE("none"),
    AES256("AES256"),
    AWS_KMS("aws:kms");

    private final String header;

    Mode(String header) {
      this.header = header;
    }

    /** The value of {@code x-amz-server-side-encryption} (and of the setting). */
    public String header() {
      return header;
    }

    /** {@code none}, {@code AES256} or {@code aws:kms}, in any case. */
    public static Mode parse(String value) {
      for (Mode mode : values()) {
        if (mode.header.equalsIgnoreCase(value.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException("expected none, AES256 or aws:kms");
    }
  }

  public static final Encryption NONE = new Encryption(Mode.NONE, null);

  public Encryption {
    Objects.requireNonNull(mode, "mode");
    if (kmsKeyId != null && kmsKeyId.isBlank()) {
      kmsKeyId = null;
    }
    if (kmsKeyId != null && mode != Mode.AWS_KMS) {
      throw new IllegalArgumentException("a KMS key id goes with aws:kms only, was " + mode);
    }
  }

  PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
    return mode == Mode.NONE
        ? request
        : request.serverSideEncryption(mode.header()).ssekmsKeyId(kmsKeyId);
  }

  CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
    return mode == Mode.NONE
        ? request
        : request.serverSideEncryption(mode.header()).ssekmsKeyId(kmsKeyId);
  }

  /**
   * How a stored object's encryption differs from this one, if it does. Nothing is compared with
   * {@code none} (the bucket's default decides). A KMS key is compared when both sides name it
   * comparably: S3 reports the key's ARN, which ends in the key id; an alias cannot be compared.
   */
  Optional<String> difference(HeadObjectResponse head) {
    if (mode == Mode.NONE) {
      return Optional.empty();
    }
    String stored = head.serverSideEncryptionAsString();
    if (!mode.header().equals(stored)) {
      return Optional.of("is encrypted with " + stored + ", not " + mode.header());
    }
    if (mode == Mode.AWS_KMS && kmsKeyId != null && !sameKey(head.ssekmsKeyId())) {
      return Optional.of("is encrypted with another KMS key");
    }
    return Optional.empty();
  }

  private boolean sameKey(String storedKey) {
    if (kmsKeyId.toLowerCase(Locale.ROOT).startsWith("alias/") || storedKey == null) {
      return true; // S3 reports the key's ARN, never the alias: nothing to compare
    }
    return storedKey.equals(kmsKeyId)
        || storedKey.endsWith("/" + kmsKeyId)
        || kmsKeyId.endsWith("/" + storedKey);
  }

  /** {@code text} with the KMS key id (and the key's own id, the last part of an ARN) masked. */
  String scrub(String text) {
    if (kmsKeyId == null || text == null) {
      return text;
    }
    String scrubbed = text.replace(kmsKeyId, "****");
    int slash = kmsKeyId.lastIndexOf('/');
    return slash >= 0 && slash < kmsKeyId.length() - 1
        ? scrubbed.replace(kmsKeyId.substring(slash + 1), "****")
        : scrubbed;
  }

  /** The options as an error message names them; never the key id. */
  String named() {
    return "server-side encryption "
        + mode.header()
        + (kmsKeyId == null ? "" : " with a KMS key")
        + " (s3.sse"
        + (kmsKeyId == null ? ")" : ", s3.sse-kms-key-id)");
  }

  @Override
  public String toString() {
    return "Encryption[" + mode.header() + (kmsKeyId == null ? "]" : ", kmsKeyId=****]");
  }
}
