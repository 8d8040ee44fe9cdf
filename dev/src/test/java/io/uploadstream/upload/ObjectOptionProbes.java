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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Probes of conditional writes, tags (on PutObject and on CreateMultipartUpload) and
 * authentication, each against a fresh key.
 */
final class ObjectOptionProbes {
  private static final byte[] SMALL = ProbeTarget.bytes(100, 20);
  private static final String TAGGING = "team=uploads&env=test";
  private static final Map<String, String> TAGS = Map.of("team", "uploads", "env", "test");

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

  /**
   * A HEAD does not report tags; a GET reports how many there are ({@code x-amz-tagging-count}),
   * which is how the uploader learns whether a stored object has any before asking for them.
   */
  static Finding tagCount(ProbeTarget t) {
    String key = ProbeTarget.newKey("tag-count");
    Answer written = Answer.of(() -> t.put(key, SMALL, p -> p.tagging(TAGGING)));
    if (!written.ok()) {
      return rejected("x-amz-tagging: " + written);
    }
    Integer count =
        t.s3
            .getObjectAsBytes(b -> b.bucket(t.bucket).key(key).range("bytes=0-0"))
            .response()
            .tagCount();
    return returned("GetObject x-amz-tagging-count", TAGS.size(), count);
  }

  private static Finding tags(
      ProbeTarget t,
      Consumer<PutObjectRequest.Builder> put,
      Consumer<CreateMultipartUploadRequest.Builder> create,
      Map<String, String> sent) {
    String key = ProbeTarget.newKey("tags");
    Answer written = t.write(key, put, create);
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
}
