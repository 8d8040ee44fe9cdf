package io.uploadstream.upload;

import static io.uploadstream.upload.Finding.deviates;
import static io.uploadstream.upload.Finding.ignored;
import static io.uploadstream.upload.Finding.refused;
import static io.uploadstream.upload.Finding.rejected;
import static io.uploadstream.upload.Finding.returned;
import static io.uploadstream.upload.Finding.supported;

import io.uploadstream.upload.ProbeTarget.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Probes of what a writer sets on an object (conditions, tags, storage class, encryption, HTTP
 * headers, metadata), on PutObject and on CreateMultipartUpload, each against a fresh key.
 */
final class ObjectOptionProbes {
  private static final byte[] SMALL = ProbeTarget.bytes(100, 20);
  private static final String TAGGING = "team=uploads&env=test";
  private static final Map<String, String> TAGS = Map.of("team", "uploads", "env", "test");
  private static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
  private static final String DISPOSITION = "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf";
  private static final Map<String, String> METADATA =
      Map.of("request-id", "r-1", "origin", "probe");

  private ObjectOptionProbes() {}

  static Finding putIfNoneMatch(ProbeTarget t) {
    String key = ProbeTarget.newKey("put-if-none-match");
    Answer fresh = Answer.of(() -> t.put(key, SMALL, b -> b.ifNoneMatch("*")));
    if (!fresh.ok()) {
      return rejected("PutObject If-None-Match: * of a new key: " + fresh);
    }
    Answer existing = Answer.of(() -> t.put(key, SMALL, b -> b.ifNoneMatch("*")));
    return refused(
        "PutObject If-None-Match: * of an existing key", existing, 412, "PreconditionFailed");
  }

  static Finding putIfMatch(ProbeTarget t) {
    String key = ProbeTarget.newKey("put-if-match");
    String etag = t.put(key, SMALL, b -> {});
    Answer current = Answer.of(() -> t.put(key, SMALL, b -> b.ifMatch(etag)));
    if (!current.ok()) {
      return rejected("PutObject If-Match of the current ETag: " + current);
    }
    Answer other = Answer.of(() -> t.put(key, SMALL, b -> b.ifMatch("\"0123456789abcdef\"")));
    return refused("PutObject If-Match of another ETag", other, 412, "PreconditionFailed");
  }

  static Finding completeIfNoneMatch(ProbeTarget t) {
    String key = ProbeTarget.newKey("complete-if-none-match");
    t.put(key, SMALL, b -> {});
    return refused(
        "CompleteMultipartUpload If-None-Match: * of an existing key",
        completeOnePart(t, key, "*", null),
        412,
        "PreconditionFailed");
  }

  static Finding completeIfMatch(ProbeTarget t) {
    String key = ProbeTarget.newKey("complete-if-match");
    t.put(key, SMALL, b -> {});
    return refused(
        "CompleteMultipartUpload If-Match of another ETag",
        completeOnePart(t, key, null, "\"0123456789abcdef\""),
        412,
        "PreconditionFailed");
  }

  private static Answer completeOnePart(
      ProbeTarget t, String key, String ifNoneMatch, String ifMatch) {
    String uploadId = t.create(key, b -> {});
    CompletedPart part = t.part(key, uploadId, 1, SMALL);
    Answer answer =
        Answer.of(
            () ->
                t.complete(
                    key,
                    uploadId,
                    List.of(part),
                    b -> b.ifNoneMatch(ifNoneMatch).ifMatch(ifMatch)));
    Answer.of(() -> t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId)));
    return answer;
  }

  static Finding putTags(ProbeTarget t) {
    return tags(t, p -> p.tagging(TAGGING), null, TAGS);
  }

  static Finding multipartTags(ProbeTarget t) {
    return tags(t, null, c -> c.tagging(TAGGING), TAGS);
  }

  /** x-amz-tagging is URL-encoded as a query string: S3 stores the decoded values. */
  static Finding encodedTags(ProbeTarget t) {
    return tags(
        t,
        p -> p.tagging("purpose=compat%20probe%2Fv1"),
        null,
        Map.of("purpose", "compat probe/v1"));
  }

  private static Finding tags(
      ProbeTarget t,
      Consumer<PutObjectRequest.Builder> put,
      Consumer<CreateMultipartUploadRequest.Builder> create,
      Map<String, String> sent) {
    String key = ProbeTarget.newKey("tags");
    Answer written = write(t, key, put, create);
    if (!written.ok()) {
      return rejected("x-amz-tagging: " + written);
    }
    Map<String, String> stored = new TreeMap<>();
    Answer read =
        Answer.of(
            () ->
                t.s3
                    .getObjectTagging(b -> b.bucket(t.bucket).key(key))
                    .tagSet()
                    .forEach(tag -> stored.put(tag.key(), tag.value())));
    if (!read.ok()) {
      return ignored("x-amz-tagging accepted, but GetObjectTagging answers " + read);
    }
    return returned("GetObjectTagging", new TreeMap<>(sent), stored);
  }

  static Finding putStorageClass(ProbeTarget t) {
    return headAfter(
        t,
        p -> p.storageClass(StorageClass.STANDARD_IA),
        null,
        "x-amz-storage-class",
        ObjectOptionProbes::storageClass,
        "STANDARD_IA");
  }

  static Finding multipartStorageClass(ProbeTarget t) {
    return headAfter(
        t,
        null,
        c -> c.storageClass(StorageClass.STANDARD_IA),
        "x-amz-storage-class",
        ObjectOptionProbes::storageClass,
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

  /** S3 answers 403 to an unsigned GET of an object in a bucket without a public policy. */
  static Finding anonymousGet(ProbeTarget t) throws IOException, InterruptedException {
    String key = ProbeTarget.newKey("anonymous");
    t.put(key, SMALL, b -> {});
    URI uri = URI.create(t.connection.endpoint() + "/" + t.bucket + "/" + key);
    int status =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
    if (status == 403) {
      return supported("unsigned GET: 403");
    }
    return status == 200
        ? ignored("unsigned GET: 200, anyone can read")
        : deviates("unsigned GET: " + status);
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
    Answer written = write(t, key, put, create);
    if (!written.ok()) {
      return rejected(what + ": " + written);
    }
    return returned("HEAD " + what, sent, read.apply(t.head(key)));
  }

  private static Answer write(
      ProbeTarget t,
      String key,
      Consumer<PutObjectRequest.Builder> put,
      Consumer<CreateMultipartUploadRequest.Builder> create) {
    return put != null
        ? Answer.of(() -> t.put(key, SMALL, put))
        : Answer.of(() -> t.multipart(key, ProbeTarget.twoParts(21), create));
  }
}
