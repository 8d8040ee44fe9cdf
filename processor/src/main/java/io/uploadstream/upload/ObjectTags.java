package io.uploadstream.upload;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The tags stored with an object, compared with the tags an upload wants, as cheaply as S3 allows.
 * A HeadObject does not report tags. When tags are wanted, GetObjectTagging ({@code
 * s3:GetObjectTagging}, which a user who sets tags has) reads them. When none are wanted, a GET of
 * the first byte says whether there are any ({@code x-amz-tagging-count}, absent when there are
 * none) under the permission HEAD needs anyway ({@code s3:GetObject}), so users without tagging
 * permissions lose nothing; a store that never reports the count (S3Mock) counts as untagged then.
 * A store without tagging (it answers 501 NotImplemented) has none.
 */
final class ObjectTags {
  private final S3Client s3;
  private final StorageRetry retry;

  ObjectTags(S3Client s3, StorageRetry retry) {
    this.s3 = s3;
    this.retry = retry;
  }

  /**
   * The tags of the object at {@code spec.key()}, which has {@code sizeBytes} bytes, as far as they
   * matter for {@code spec.options().tags()}: all of them when tags are wanted, else whether there
   * are any (then an empty map, or as many dummy entries as the store counts).
   *
   * @throws StorageException when the store cannot answer
   */
  Map<String, String> of(UploadSpec spec, long sizeBytes) {
    if (spec.options().tags().isEmpty()) {
      int count = count(spec, sizeBytes);
      Map<String, String> counted = new HashMap<>();
      for (int i = 0; i < count; i++) {
        counted.put("(tag " + (i + 1) + ")", "");
      }
      return counted;
    }
    try {
      Map<String, String> tags = new HashMap<>();
      retry
          .call(
              () -> s3.getObjectTagging(b -> b.bucket(spec.bucket()).key(spec.key())),
              StorageRetry.RetryObserver.NONE)
          .tagSet()
          .forEach(tag -> tags.put(tag.key(), tag.value()));
      return Map.copyOf(tags);
    } catch (SdkException e) {
      if (notImplemented(e)) {
        return Map.of();
      }
      throw StorageException.of("GetObjectTagging", spec, null, 0, e);
    }
  }

  private int count(UploadSpec spec, long sizeBytes) {
    try {
      GetObjectResponse response =
          retry
              .call(
                  () ->
                      s3.getObject(
                          b ->
                              b.bucket(spec.bucket())
                                  .key(spec.key())
                                  .range(sizeBytes > 0 ? "bytes=0-0" : null),
                          ResponseTransformer.toBytes()),
                  StorageRetry.RetryObserver.NONE)
              .response();
      return response.tagCount() == null ? 0 : response.tagCount();
    } catch (SdkException e) {
      throw StorageException.of("GetObject", spec, null, 0, e);
    }
  }

  private static boolean notImplemented(SdkException e) {
    return e instanceof AwsServiceException response && response.statusCode() == 501;
  }
}
