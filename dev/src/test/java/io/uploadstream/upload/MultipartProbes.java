package io.uploadstream.upload;

import static io.uploadstream.upload.Finding.deviates;
import static io.uploadstream.upload.Finding.refused;
import static io.uploadstream.upload.Finding.returned;
import static io.uploadstream.upload.Finding.supported;

import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.ProbeTarget.Answer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/** Probes of multipart uploads, checksums and resuming, each against a fresh key. */
final class MultipartProbes {
  private static final String WRONG_CRC32C = "AAAAAA==";
  private static final String WRONG_MD5 = "1B2M2Y8AsgTpgAmY7PhCfg=="; // MD5 of no bytes

  private MultipartProbes() {}

  static Finding createUploadComplete(ProbeTarget t) {
    String key = ProbeTarget.newKey("multipart");
    List<byte[]> data = ProbeTarget.twoParts(1);
    t.multipart(key, data, b -> {});
    return Arrays.equals(t.get(key), concat(data))
        ? supported("2 parts completed; GET returns their bytes")
        : deviates("GET returns other bytes than the parts'");
  }

  static Finding listParts(ProbeTarget t) {
    String key = ProbeTarget.newKey("list-parts");
    String uploadId = t.create(key, b -> {});
    CompletedPart sent = t.part(key, uploadId, 1, ProbeTarget.bytes(1024, 2));
    List<Part> listed = listParts(t.s3, t.bucket, key, uploadId).parts();
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    boolean same =
        listed.size() == 1
            && listed.get(0).partNumber() == 1
            && listed.get(0).size() == 1024
            && listed.get(0).eTag().equals(sent.eTag());
    return same
        ? supported("part 1 listed with its size and ETag")
        : deviates("listed " + listed + ", sent " + sent);
  }

  static Finding listPartsChecksums(ProbeTarget t) {
    String key = ProbeTarget.newKey("list-parts-checksums");
    String uploadId = t.create(key, b -> {});
    CompletedPart sent = t.part(key, uploadId, 1, ProbeTarget.bytes(1024, 3));
    List<Part> listed = listParts(t.s3, t.bucket, key, uploadId).parts();
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    String checksum = listed.isEmpty() ? null : listed.get(0).checksumCRC32C();
    return returned("ListParts ChecksumCRC32C", sent.checksumCRC32C(), checksum);
  }

  static Finding listUploads(ProbeTarget t) {
    String key = ProbeTarget.newKey("list-uploads");
    String uploadId = t.create(key, b -> {});
    List<MultipartUpload> listed =
        t.s3.listMultipartUploads(b -> b.bucket(t.bucket).prefix(key)).uploads();
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    return listed.stream().anyMatch(u -> u.uploadId().equals(uploadId) && u.key().equals(key))
        ? supported("the upload listed under its key")
        : deviates("listed " + listed);
  }

  /** S3 forgets an aborted upload: ListParts and UploadPart answer 404 NoSuchUpload. */
  static Finding abort(ProbeTarget t) {
    String key = ProbeTarget.newKey("abort");
    String uploadId = t.create(key, b -> {});
    t.part(key, uploadId, 1, ProbeTarget.bytes(1024, 4));
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    boolean listed =
        t.s3.listMultipartUploads(b -> b.bucket(t.bucket).prefix(key)).uploads().stream()
            .anyMatch(u -> u.uploadId().equals(uploadId));
    Answer list = Answer.of(() -> listParts(t.s3, t.bucket, key, uploadId));
    Answer part = Answer.of(() -> t.part(key, uploadId, 2, ProbeTarget.bytes(1024, 5)));
    String evidence =
        "after abort: listed " + listed + ", ListParts " + list + ", UploadPart " + part;
    return !listed && list.status() == 404 && part.status() == 404
        ? supported(evidence)
        : deviates(evidence);
  }

  /** Two uploads of one key are independent in S3: aborting one leaves the other's parts. */
  static Finding twoUploadsOfOneKey(ProbeTarget t) {
    String key = ProbeTarget.newKey("two-uploads");
    String older = t.create(key, b -> {});
    t.part(key, older, 1, ProbeTarget.bytes(1024, 14));
    String newer = t.create(key, b -> {});
    CompletedPart kept = t.part(key, newer, 1, ProbeTarget.bytes(1024, 15));
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(older));
    List<Part> listed = listParts(t.s3, t.bucket, key, newer).parts();
    Answer complete = Answer.of(() -> t.complete(key, newer, List.of(kept), b -> {}));
    String evidence =
        "after aborting the other upload: ListParts lists "
            + listed.size()
            + " part(s), Complete "
            + complete;
    return listed.size() == 1 && complete.ok() ? supported(evidence) : deviates(evidence);
  }

  /**
   * Aborting an upload of a key leaves the object stored at that key in S3: an uploader whose
   * conditional Complete was refused (412) aborts its upload and finds the other writer's object.
   */
  static Finding abortKeepsTheKeysObject(ProbeTarget t) {
    String key = ProbeTarget.newKey("abort-keeps-object");
    String etag = t.put(key, ProbeTarget.bytes(1024, 16), b -> {});
    String uploadId = t.create(key, b -> {});
    t.part(key, uploadId, 1, ProbeTarget.bytes(1024, 17));
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    Answer head = Answer.of(() -> t.head(key));
    String evidence = "after aborting an upload of the key: HeadObject of its object " + head;
    return head.ok() && etag.equals(t.head(key).eTag()) ? supported(evidence) : deviates(evidence);
  }

  static Finding putWrongCrc32c(ProbeTarget t) {
    String key = ProbeTarget.newKey("put-crc32c");
    Answer answer =
        Answer.of(() -> t.put(key, ProbeTarget.bytes(100, 6), b -> b.checksumCRC32C(WRONG_CRC32C)));
    return refused("PutObject, wrong x-amz-checksum-crc32c", answer, 400, "BadDigest");
  }

  static Finding partWrongCrc32c(ProbeTarget t) {
    String key = ProbeTarget.newKey("part-crc32c");
    String uploadId = t.create(key, b -> {});
    Answer answer =
        Answer.of(
            () ->
                t.s3.uploadPart(
                    b ->
                        b.bucket(t.bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(1)
                            .checksumCRC32C(WRONG_CRC32C),
                    RequestBody.fromBytes(ProbeTarget.bytes(100, 7))));
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    return refused("UploadPart, wrong x-amz-checksum-crc32c", answer, 400, "BadDigest");
  }

  static Finding putWrongMd5(ProbeTarget t) {
    String key = ProbeTarget.newKey("put-md5");
    Answer answer =
        Answer.of(
            () ->
                t.md5s3.putObject(
                    b -> b.bucket(t.bucket).key(key).contentMD5(WRONG_MD5),
                    RequestBody.fromBytes(ProbeTarget.bytes(100, 8))));
    return refused("PutObject, wrong Content-MD5", answer, 400, "BadDigest");
  }

  static Finding partWrongMd5(ProbeTarget t) {
    String key = ProbeTarget.newKey("part-md5");
    String uploadId = t.md5s3.createMultipartUpload(b -> b.bucket(t.bucket).key(key)).uploadId();
    Answer answer =
        Answer.of(
            () ->
                t.md5s3.uploadPart(
                    b ->
                        b.bucket(t.bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(1)
                            .contentMD5(WRONG_MD5),
                    RequestBody.fromBytes(ProbeTarget.bytes(100, 9))));
    t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId));
    return refused("UploadPart, wrong Content-MD5", answer, 400, "BadDigest");
  }

  static Finding putCrc32cStored(ProbeTarget t) {
    String key = ProbeTarget.newKey("put-crc32c-stored");
    byte[] data = ProbeTarget.bytes(100, 10);
    t.put(key, data, b -> b.checksumCRC32C(ProbeTarget.crc32c(data)));
    return returned(
        "HEAD x-amz-checksum-crc32c", ProbeTarget.crc32c(data), t.head(key).checksumCRC32C());
  }

  static Finding compositeCrc32c(ProbeTarget t) {
    String key = ProbeTarget.newKey("composite");
    List<CompletedPart> parts = t.multipart(key, ProbeTarget.twoParts(11), b -> {});
    List<byte[]> raw = new ArrayList<>();
    parts.forEach(p -> raw.add(Base64.getDecoder().decode(p.checksumCRC32C())));
    return returned(
        "HEAD x-amz-checksum-crc32c",
        ObjectChecksums.compositeCrc32c(raw),
        t.head(key).checksumCRC32C());
  }

  static Finding completeWrongPartChecksum(ProbeTarget t) {
    String key = ProbeTarget.newKey("complete-checksum");
    String uploadId = t.create(key, b -> {});
    CompletedPart part = t.part(key, uploadId, 1, ProbeTarget.bytes(1024, 12));
    CompletedPart wrong = part.toBuilder().checksumCRC32C(WRONG_CRC32C).build();
    Answer answer = Answer.of(() -> t.complete(key, uploadId, List.of(wrong), b -> {}));
    Answer.of(() -> t.s3.abortMultipartUpload(b -> b.bucket(t.bucket).key(key).uploadId(uploadId)));
    return refused("CompleteMultipartUpload, wrong part ChecksumCRC32C", answer, 400, null);
  }

  /**
   * What a redelivery does after a crash: a new client finds the upload by its key, takes the
   * stored parts from ListParts, sends the rest and completes with both.
   */
  static Finding resume(ProbeTarget t) {
    String key = ProbeTarget.newKey("resume");
    List<byte[]> data = ProbeTarget.twoParts(13);
    String uploadId = t.create(key, b -> {});
    t.part(key, uploadId, 1, data.get(0));
    try (S3Client next = S3Clients.create(t.connection)) {
      List<MultipartUpload> found =
          next.listMultipartUploads(b -> b.bucket(t.bucket).prefix(key)).uploads();
      if (found.size() != 1 || !found.get(0).uploadId().equals(uploadId)) {
        return deviates("ListMultipartUploads found " + found);
      }
      List<CompletedPart> parts = new ArrayList<>();
      for (Part stored : listParts(next, t.bucket, key, uploadId).parts()) {
        String checksum = ProbeTarget.crc32c(data.get(stored.partNumber() - 1));
        parts.add(
            CompletedPart.builder()
                .partNumber(stored.partNumber())
                .eTag(stored.eTag())
                .checksumCRC32C(checksum)
                .build());
      }
      parts.add(t.part(key, uploadId, 2, data.get(1)));
      t.complete(key, uploadId, parts, b -> {});
    }
    return Arrays.equals(t.get(key), concat(data))
        ? supported("found by key, parts listed, completed; GET returns the bytes")
        : deviates("GET returns other bytes than the parts'");
  }

  private static ListPartsResponse listParts(
      S3Client s3, String bucket, String key, String uploadId) {
    return s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId));
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
