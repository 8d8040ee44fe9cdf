package io.uploadstream.upload;

import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A store to probe, reached through clients built as the uploader builds its own ({@link
 * S3Clients}: SDK retries off), plus the requests the probes are made of. One bucket per target.
 */
final class ProbeTarget implements AutoCloseable {
  /** S3's smallest part but the last; a store may refuse smaller ones (EntityTooSmall). */
  static final int PART_BYTES = 5 * 1024 * 1024;

  final S3ConnectionSettings connection;
  final String kmsKeyId;
  final String bucket;

  /** Flexible checksums on, the default: CRC32C headers go as they are given. */
  final S3Client s3;

  /** Flexible checksums off, so the SDK adds nothing next to a Content-MD5 given by hand. */
  final S3Client md5s3;

  ProbeTarget(S3ConnectionSettings connection, String kmsKeyId) {
    this.connection = connection;
    this.kmsKeyId = kmsKeyId;
    this.s3 = S3Clients.create(connection);
    this.md5s3 = S3Clients.create(connection.withFlexibleChecksums(false));
    this.bucket = "probe-" + UUID.randomUUID();
    try (S3Client setup = Stores.verifyingClient(connection)) {
      setup.createBucket(b -> b.bucket(bucket));
    }
  }

  /** The answer to a request: 200 OK or the status and S3 error code. */
  record Answer(int status, String code) {
    static Answer of(Runnable request) {
      try {
        request.run();
        return new Answer(200, "OK");
      } catch (S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return new Answer(e.statusCode(), code == null ? "" : code);
      }
    }

    boolean ok() {
      return status / 100 == 2;
    }

    @Override
    public String toString() {
      return status + " " + code;
    }
  }

  static String newKey(String name) {
    return "probe/" + name + "-" + UUID.randomUUID();
  }

  static byte[] bytes(int sizeBytes, long seed) {
    byte[] data = new byte[sizeBytes];
    new SplittableRandom(seed).nextBytes(data);
    return data;
  }

  static String crc32c(byte[] data) {
    return PartChecksum.crc32c(data, data.length);
  }

  static String md5(byte[] data) {
    return PartChecksum.md5(data, data.length);
  }

  String put(String key, byte[] data, Consumer<PutObjectRequest.Builder> options) {
    return s3.putObject(b -> options.accept(b.bucket(bucket).key(key)), RequestBody.fromBytes(data))
        .eTag();
  }

  HeadObjectResponse head(String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
  }

  byte[] get(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /** CreateMultipartUpload with CRC32C part checksums, as the uploader creates its uploads. */
  String create(String key, Consumer<CreateMultipartUploadRequest.Builder> options) {
    return s3.createMultipartUpload(
            b ->
                options.accept(
                    b.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)))
        .uploadId();
  }

  /** UploadPart with its CRC32C as a header; the part as CompleteMultipartUpload names it. */
  CompletedPart part(String key, String uploadId, int partNumber, byte[] data) {
    String checksum = crc32c(data);
    String etag =
        s3.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .checksumCRC32C(checksum),
                RequestBody.fromBytes(data))
            .eTag();
    return CompletedPart.builder()
        .partNumber(partNumber)
        .eTag(etag)
        .checksumCRC32C(checksum)
        .build();
  }

  void complete(
      String key,
      String uploadId,
      List<CompletedPart> parts,
      Consumer<CompleteMultipartUploadRequest.Builder> options) {
    s3.completeMultipartUpload(
        b ->
            options.accept(
                b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
  }

  /** The two parts of {@link #multipart}: one of the smallest allowed size, one short. */
  static List<byte[]> twoParts(long seed) {
    return List.of(bytes(PART_BYTES, seed), bytes(1024, seed + 1));
  }

  /** A two-part upload with {@code options} on create, completed plainly; returns the parts. */
  List<CompletedPart> multipart(
      String key, List<byte[]> data, Consumer<CreateMultipartUploadRequest.Builder> options) {
    String uploadId = create(key, options);
    List<CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      parts.add(part(key, uploadId, i + 1, data.get(i)));
    }
    complete(key, uploadId, parts, b -> {});
    return parts;
  }

  /** Writes with {@code put} (PutObject of 100 bytes) or else {@code create} (two parts). */
  Answer write(
      String key,
      Consumer<PutObjectRequest.Builder> put,
      Consumer<CreateMultipartUploadRequest.Builder> create) {
    return put != null
        ? Answer.of(() -> put(key, bytes(100, 23), put))
        : Answer.of(() -> multipart(key, twoParts(21), create));
  }

  @Override
  public void close() {
    s3.close();
    md5s3.close();
  }
}
