package io.uploadstream.upload;

import static io.uploadstream.upload.Finding.refused;
import static io.uploadstream.upload.Finding.rejected;
import static io.uploadstream.upload.Finding.returned;

import io.uploadstream.upload.ProbeTarget.Answer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Probes of what a writer sets on an object and a HEAD must return (storage class, encryption, HTTP
 * headers, metadata), on PutObject and on CreateMultipartUpload, each against a fresh key.
 */
final class StoredOptionProbes {
  private static final byte[] SMALL = ProbeTarget.bytes(100, 22);
  private static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
  private static final String DISPOSITION = "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf";
  private static final Map<String, String> METADATA =
      Map.of("request-id", "r-1", "origin", "probe");

  private StoredOptionProbes() {}

  static Finding putStorageClass(ProbeTarget t) {
    return headAfter(
        t,
        p -> p.storageClass(StorageClass.STANDARD_IA),
        null,
        "x-amz-storage-class",
        StoredOptionProbes::storageClass,
        "STANDARD_IA");
  }

  static Finding multipartStorageClass(ProbeTarget t) {
    return headAfter(
        t,
        null,
        c -> c.storageClass(StorageClass.STANDARD_IA),
        "x-amz-storage-class",
        StoredOptionProbes::storageClass,
        "STANDARD_IA");
  }

  static Finding putSseAes256(ProbeTarget t) {
    return headAfter(
        t,
        p -> p.serverSideEncryption(ServerSideEncryption.AES256),
        null,
        "x-amz-server-side-encryption",
        h -> h.serverSideEncryptionAsString(),
        "AES256");
  }

  static Finding multipartSseAes256(ProbeTarget t) {
    return headAfter(
        t,
        null,
        c -> c.serverSideEncryption(ServerSideEncryption.AES256),
        "x-amz-server-side-encryption",
        h -> h.serverSideEncryptionAsString(),
        "AES256");
  }

  /** STANDARD is the default: a store that dropped the option answers it (S3 leaves it out). */
  private static String storageClass(HeadObjectResponse head) {
    String storageClass = head.storageClassAsString();
    return "STANDARD".equals(storageClass) ? null : storageClass;
  }

  static Finding putSseKmsKeyId(ProbeTarget t) {
    String id = keyId(t);
    return headAfter(
        t,
        p -> p.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id),
        null,
        "x-amz-server-side-encryption(-aws-kms-key-id)",
        h -> kmsKey(h, t),
        List.of("aws:kms", t.kmsKeyId));
  }

  /** The key id is the last part of its ARN; S3 answers a HEAD with the ARN either way. */
  private static String keyId(ProbeTarget t) {
    return t.kmsKeyId.substring(t.kmsKeyId.lastIndexOf('/') + 1);
  }

  private static List<String> kmsKey(HeadObjectResponse head, ProbeTarget t) {
    String key = head.ssekmsKeyId();
    return Arrays.asList(
        head.serverSideEncryptionAsString(), keyId(t).equals(key) ? t.kmsKeyId : key);
  }

  static Finding putSseKmsArn(ProbeTarget t) {
    return headAfter(
        t,
        p -> p.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(t.kmsKeyId),
        null,
        "x-amz-server-side-encryption(-aws-kms-key-id)",
        h -> Arrays.asList(h.serverSideEncryptionAsString(), h.ssekmsKeyId()),
        List.of("aws:kms", t.kmsKeyId));
  }

  static Finding multipartSseKmsKeyId(ProbeTarget t) {
    String id = keyId(t);
    return headAfter(
        t,
        null,
        c -> c.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(id),
        "x-amz-server-side-encryption(-aws-kms-key-id)",
        h -> kmsKey(h, t),
        List.of("aws:kms", t.kmsKeyId));
  }

  static Finding unknownKmsKey(ProbeTarget t) {
    String key = ProbeTarget.newKey("kms-unknown");
    String unknown = "arn:aws:kms:us-east-1:123456789012:key/no-such-key";
    Answer answer =
        Answer.of(
            () ->
                t.put(
                    key,
                    SMALL,
                    b ->
                        b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(unknown)));
    return refused(
        "PutObject aws:kms with an unknown key id", answer, 400, "KMS.NotFoundException");
  }

  static Finding putHttpHeaders(ProbeTarget t) {
    return headAfter(
        t,
        p -> p.cacheControl(CACHE_CONTROL).contentDisposition(DISPOSITION),
        null,
        "Cache-Control, Content-Disposition",
        h -> Arrays.asList(h.cacheControl(), h.contentDisposition()),
        List.of(CACHE_CONTROL, DISPOSITION));
  }

  static Finding multipartHttpHeaders(ProbeTarget t) {
    return headAfter(
        t,
        null,
        c -> c.cacheControl(CACHE_CONTROL).contentDisposition(DISPOSITION),
        "Cache-Control, Content-Disposition",
        h -> Arrays.asList(h.cacheControl(), h.contentDisposition()),
        List.of(CACHE_CONTROL, DISPOSITION));
  }

  static Finding putMetadata(ProbeTarget t) {
    return headAfter(
        t, p -> p.metadata(METADATA), null, "x-amz-meta-*", h -> h.metadata(), METADATA);
  }

  static Finding multipartMetadata(ProbeTarget t) {
    return headAfter(
        t, null, c -> c.metadata(METADATA), "x-amz-meta-*", h -> h.metadata(), METADATA);
  }

  /** Writes with {@code put} (PutObject) or {@code create} (two-part upload), then HEADs. */
  private static Finding headAfter(
      ProbeTarget t,
      Consumer<PutObjectRequest.Builder> put,
      Consumer<CreateMultipartUploadRequest.Builder> create,
      String what,
      Function<HeadObjectResponse, Object> read,
      Object sent) {
    String key = ProbeTarget.newKey("head");
    Answer written = t.write(key, put, create);
    if (!written.ok()) {
      return rejected(what + ": " + written);
    }
    return returned("HEAD " + what, sent, read.apply(t.head(key)));
  }
}
